import { describe, expect, it } from "vitest";
import { ApiClient, ApiRequestError, isApiError, parseRetryAfter } from "./api-client";

interface Sent {
  readonly url: string;
  readonly init: RequestInit;
}

/** A client whose fetch records the request and answers with `response` (or throws it). */
function clientAnswering(response: Response | Error): { client: ApiClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = new ApiClient({
    fetch: async (input, init) => {
      sent.push({ url: String(input), init: init ?? {} });
      if (response instanceof Error) throw response;
      return response.clone();
    },
  });
  return { client, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });

async function failure(promise: Promise<unknown>): Promise<ApiRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiRequestError) return error;
    throw error;
  }
  throw new Error("the request succeeded");
}

describe("ApiClient requests", () => {
  it("sends same-origin credentials and leaves empty query values out", async () => {
    const { client, sent } = clientAnswering(json(200, { items: [], total: 0, nextCursor: null }));
    await client.request("GET", "/tenants/acme/users", { query: { q: "al ex", cursor: undefined, filter: "", count: 50 } });
    expect(sent[0]!.url).toBe("/api/tenants/acme/users?q=al+ex&count=50");
    expect(sent[0]!.init.credentials).toBe("same-origin");
  });

  it("sends the CSRF token on state-changing requests only", async () => {
    const { client, sent } = clientAnswering(json(200, {}));
    client.setCsrfToken("csrf-1");
    await client.request("GET", "/tenants");
    await client.request("POST", "/tenants", { body: { slug: "acme" } });
    expect(new Headers(sent[0]!.init.headers).get("X-CSRF-Token")).toBeNull();
    const post = new Headers(sent[1]!.init.headers);
    expect(post.get("X-CSRF-Token")).toBe("csrf-1");
    expect(post.get("Content-Type")).toBe("application/json");
    expect(sent[1]!.init.body).toBe('{"slug":"acme"}');
  });

  it("stops sending the CSRF token once it is cleared", async () => {
    const { client, sent } = clientAnswering(new Response(null, { status: 204 }));
    client.setCsrfToken("csrf-1");
    client.setCsrfToken(null);
    await client.request("DELETE", "/session");
    expect(new Headers(sent[0]!.init.headers).get("X-CSRF-Token")).toBeNull();
  });

  it("resolves a 204 with undefined and a 200 with its parsed body", async () => {
    expect(await clientAnswering(new Response(null, { status: 204 })).client.request("DELETE", "/session")).toBeUndefined();
    expect(await clientAnswering(json(200, [{ slug: "acme" }])).client.request("GET", "/tenants")).toEqual([{ slug: "acme" }]);
  });
});

describe("ApiClient errors", () => {
  it("rejects with the ApiError's code, message and field", async () => {
    const body = { error: { code: "conflict", message: 'Tenant "acme" already exists.', field: "slug" } };
    const error = await failure(clientAnswering(json(409, body)).client.request("POST", "/tenants", { body: { slug: "acme" } }));
    expect(error).toMatchObject({ code: "conflict", status: 409, message: 'Tenant "acme" already exists.', field: "slug" });
  });

  it("reads Retry-After of a throttled sign-in", async () => {
    const body = { error: { code: "throttled", message: "Too many failed sign-ins; try again in 30 seconds.", field: null } };
    const error = await failure(clientAnswering(json(429, body, { "Retry-After": "30" })).client.request("POST", "/session", { body: {} }));
    expect(error).toMatchObject({ code: "throttled", retryAfterSeconds: 30 });
  });

  it("explains a failed connection in words", async () => {
    const error = await failure(clientAnswering(new TypeError("Failed to fetch")).client.request("GET", "/tenants"));
    expect(error.code).toBe("network");
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/cannot be reached/);
  });

  it("explains a 502 page from a proxy as a server failure", async () => {
    const response = new Response("<html>Bad Gateway</html>", { status: 502, statusText: "Bad Gateway", headers: { "Content-Type": "text/html" } });
    const error = await failure(clientAnswering(response).client.request("GET", "/tenants"));
    expect(error).toMatchObject({ code: "unexpected_response", status: 502 });
    expect(error.message).toContain("HTTP 502 Bad Gateway");
  });

  it("rejects a JSON error body that is not an ApiError as unexpected", async () => {
    const error = await failure(clientAnswering(json(404, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" })).client.request("GET", "/x"));
    expect(error).toMatchObject({ code: "unexpected_response", status: 404 });
  });

  it("rejects a successful answer that is not JSON, such as an HTML page", async () => {
    const response = new Response("<!doctype html>", { status: 200, headers: { "Content-Type": "text/html" } });
    const error = await failure(clientAnswering(response).client.request("GET", "/tenants"));
    expect(error.code).toBe("unexpected_response");
  });

  it("rejects malformed JSON as unexpected instead of throwing a SyntaxError", async () => {
    const response = new Response("{", { status: 500, headers: { "Content-Type": "application/json" } });
    const error = await failure(clientAnswering(response).client.request("GET", "/tenants"));
    expect(error).toMatchObject({ code: "unexpected_response", status: 500 });
  });
});

describe("isApiError", () => {
  it("accepts an ApiError body and refuses unknown codes and other shapes", () => {
    expect(isApiError({ error: { code: "invalid", message: "Name is required.", field: "name" } })).toBe(true);
    expect(isApiError({ error: { code: "teapot", message: "x", field: null } })).toBe(false);
    expect(isApiError({ error: "invalid" })).toBe(false);
    expect(isApiError(null)).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter("Sat, 28 Nov 2026 20:01:00 GMT", new Date("2026-11-28T20:00:00Z"))).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
