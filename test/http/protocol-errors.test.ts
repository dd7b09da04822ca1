import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;
const errorSchema = ["urn:ietf:params:scim:api:messages:2.0:Error"];

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

async function userCount(): Promise<number> {
  return (await acme.request("GET", "/Users?count=0")).body.totalResults;
}

describe("request bodies", () => {
  it("accepts application/json, application/scim+json with charset, and no Accept or User-Agent (ENT-03, RFC-12)", async () => {
    for (const type of ["application/json", "application/scim+json; charset=utf-8", "application/json;charset=UTF-8"]) {
      const response = await acme.request("POST", "/Users", { body: userBody(`media-${type.length}-${type.includes("scim")}@example.org`), headers: { "content-type": type } });
      expect(response.status).toBe(201);
    }
    const probe = await fetch(`${acme.baseUrl}/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, { headers: { authorization: `Bearer ${acme.token}`, accept: "*/*" } });
    expect(probe.status).toBe(200);
  });

  it("answers malformed JSON with 400 invalidSyntax and writes nothing", async () => {
    const before = await userCount();
    const response = await acme.request("POST", "/Users", { rawBody: '{"userName": "broken@example.org",' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: errorSchema, status: "400", scimType: "invalidSyntax" });
    expect(await userCount()).toBe(before);
  });

  it("answers a non-object body, prototype pollution and excessive nesting with 400", async () => {
    expect((await acme.request("POST", "/Users", { rawBody: "[1,2,3]" })).status).toBe(400);
    const proto = await acme.request("POST", "/Users", { rawBody: '{"userName":"p@example.org","__proto__":{"admin":true}}' });
    expect(proto.status).toBe(400);
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    const nested = await acme.request("POST", "/Users", { rawBody: `{"userName":"deep@example.org","x":${deep}}` });
    expect(nested.status).toBe(400);
    expect(nested.body.scimType).toBe("invalidSyntax");
  });

  it("accepts a bodiless DELETE that still carries a JSON Content-Type", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("labelled-delete@example.org") });
    const response = await acme.request("DELETE", `/Users/${created.body.id}`, { rawBody: "", headers: { "content-type": "application/scim+json" } });
    expect(response.status).toBe(204);
  });

  it("answers an unsupported media type with 415 as a SCIM error", async () => {
    const response = await acme.request("POST", "/Users", { rawBody: "userName=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(415);
    expect(response.body.schemas).toEqual(errorSchema);
  });

  it("answers an oversized body with 413 and writes nothing", async () => {
    const before = await userCount();
    const response = await acme.request("POST", "/Users", { body: userBody("big@example.org", { displayName: "x".repeat(5 * 1024 * 1024) }) });
    expect(response.status).toBe(413);
    expect(response.body.schemas).toEqual(errorSchema);
    expect(await userCount()).toBe(before);
  });
});

describe("routes", () => {
  it("answers unknown routes with a SCIM 404, under the base URL and outside it", async () => {
    const inside = await acme.request("GET", "/Widgets");
    expect(inside.status).toBe(404);
    expect(inside.body).toMatchObject({ schemas: errorSchema, status: "404" });
    const outside = await server.fetch("GET", `${server.url}/nothing-here`);
    expect(outside.status).toBe(404);
    expect(outside.body.schemas).toEqual(errorSchema);
    expect(outside.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
  });

  it("answers unsupported methods with 405 and Allow (OKT-31)", async () => {
    for (const path of ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"]) {
      const response = await acme.request("POST", path, { body: {} });
      expect(response.status).toBe(405);
      expect(response.body.status).toBe("405");
      expect(response.headers.get("allow")).toContain("GET");
    }
    expect((await acme.request("DELETE", "/Users")).status).toBe(405);
  });

  it("accepts a base URL pasted with a trailing slash and a tenant slug in capitals", async () => {
    const doubled = await server.fetch("GET", `${acme.baseUrl}//Users?count=0`, { headers: { authorization: `Bearer ${acme.token}` } });
    expect(doubled.status).toBe(200);
    const upper = await server.fetch("GET", `${acme.baseUrl.replace(/acme$/, "ACME")}/Users?count=0`, { headers: { authorization: `Bearer ${acme.token}` } });
    expect(upper.status).toBe(200);
  });

  it("answers /Me with 501 notImplemented (RFC 7644 §3.11)", async () => {
    const response = await acme.request("GET", "/Me");
    expect(response.status).toBe(501);
    expect(response.body).toMatchObject({ schemas: errorSchema, status: "501" });
  });

  it("ignores unknown query parameters such as Entra's feature flag (ENT-40)", async () => {
    expect((await acme.request("GET", "/Users?aadOptscim062020")).status).toBe(200);
  });

  it("serves /healthz", async () => {
    const response = await server.fetch("GET", `${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("echoes a request id header", async () => {
    const response = await acme.request("GET", "/Users?count=0", { headers: { "x-request-id": "trace-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-123");
  });
});
