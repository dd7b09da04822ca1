import { describe, expect, it } from "vitest";
import { classifyAnswer, type Answer } from "./classify-answer.js";

const token = "s3cret-token-value";
const context = { method: "POST", path: "/Users", secrets: [token], now: Date.UTC(2025, 0, 1) };

function answer(status: number, body?: unknown, headers: Answer["headers"] = {}): Answer {
  return { status, headers, text: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body) };
}
function scimError(status: number, detail: string, scimType?: string) {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail, ...(scimType ? { scimType } : {}) };
}

describe("classifyAnswer", () => {
  it("lets every 2xx through", () => {
    for (const status of [200, 201, 202, 204]) expect(classifyAnswer(answer(status), context)).toBeUndefined();
  });

  it.each([
    [429, {}, "throttled"],
    [503, { "retry-after": "5" }, "throttled"],
    [503, {}, "transient"],
    [500, {}, "transient"],
    [502, {}, "transient"],
    [504, {}, "transient"],
    [408, {}, "transient"],
    [401, {}, "auth"],
    [403, {}, "auth"],
    [404, {}, "notFound"],
    [409, {}, "conflict"],
    [400, {}, "rejected"],
    [413, {}, "rejected"],
    [422, {}, "rejected"],
    [405, {}, "rejected"],
    [412, {}, "rejected"],
    [501, {}, "rejected"],
    [301, { location: "https://elsewhere.example/scim" }, "refused"],
    [302, {}, "refused"],
    [307, {}, "refused"],
    [308, {}, "refused"],
    [101, {}, "invalidResponse"],
  ] as const)("classifies %i as %s", (status, headers, kind) => {
    const error = classifyAnswer(answer(status, undefined, headers), context);
    expect(error?.kind).toBe(kind);
    expect(error?.status).toBe(status);
    expect(error?.fix.length).toBeGreaterThan(20);
  });

  it("keeps the SCIM Error's scimType and detail, and names them in the message", () => {
    const error = classifyAnswer(answer(409, scimError(409, "userName ann is taken", "uniqueness")), context)!;
    expect(error).toMatchObject({ kind: "conflict", scimType: "uniqueness", detail: "userName ann is taken" });
    expect(error.message).toBe("POST /Users: answered 409 Conflict (uniqueness): userName ann is taken");
    expect(error.fix).toMatch(/adopts/);
  });

  it("classifies a 409 without scimType as a conflict too", () => {
    expect(classifyAnswer(answer(409, scimError(409, "exists")), context)).toMatchObject({ kind: "conflict", scimType: undefined });
  });

  it("carries Retry-After on throttled answers, in seconds and as a date", () => {
    expect(classifyAnswer(answer(429, undefined, { "retry-after": "7" }), context)?.retryAfterMs).toBe(7000);
    expect(classifyAnswer(answer(503, undefined, { "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }), context)).toMatchObject({ kind: "throttled", retryAfterMs: 30_000 });
    expect(classifyAnswer(answer(429), context)?.retryAfterMs).toBeUndefined();
    expect(classifyAnswer(answer(429, undefined, { "retry-after": "later" }), context)?.retryAfterMs).toBeUndefined();
  });

  it("treats a 500 about rate limits as throttling and a 500 with a scimType as a rejection", () => {
    expect(classifyAnswer(answer(500, { message: "Rate limit exceeded" }), context)?.kind).toBe("throttled");
    expect(classifyAnswer(answer(500, scimError(500, "bad value", "invalidValue")), context)?.kind).toBe("rejected");
  });

  it("says where a redirect pointed", () => {
    const error = classifyAnswer(answer(302, undefined, { location: "https://login.example/sso" }), context)!;
    expect(error.message).toContain("https://login.example/sso");
    expect(error.code).toBe("redirect");
  });

  it("takes a detail from non-SCIM error bodies: SCIM 1.1 Errors, message, HTML", () => {
    expect(classifyAnswer(answer(400, { Errors: [{ description: "old style", code: 400 }] }), context)?.detail).toBe("old style");
    expect(classifyAnswer(answer(400, { message: "plain message" }), context)?.detail).toBe("plain message");
    expect(classifyAnswer(answer(502, "<html><body><h1>Bad Gateway</h1>\n</body></html>"), context)?.detail).toBe("Bad Gateway");
  });

  it("clips long details and redacts the token a target echoes back", () => {
    const error = classifyAnswer(answer(401, scimError(401, `token Bearer ${token} refused ${"x".repeat(2000)}`)), context)!;
    expect(error.detail!.length).toBeLessThanOrEqual(500);
    expect(error.message).not.toContain(token);
    expect(error.detail).toContain("[redacted]");
  });

  it("names the Tenant URL in the fix for a 404 on an endpoint, and re-matching for a 404 on an object", () => {
    expect(classifyAnswer(answer(404), { ...context, path: "/Users?filter=x" })?.fix).toMatch(/Tenant URL/);
    expect(classifyAnswer(answer(404), { ...context, path: "/Users/abc" })?.fix).toMatch(/matches it again/);
  });
});
