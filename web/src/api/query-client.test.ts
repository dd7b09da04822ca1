import { describe, expect, it } from "vitest";
import { ApiRequestError } from "./api-client";
import { createQueryClient, isRetryable } from "./query-client";
import { queryKeys } from "./query-keys";

const session = { admin: { id: "a1", email: "admin@example.com", createdAt: "2026-11-28T20:00:00.000Z", passwordChangedAt: null }, csrfToken: "c", expiresAt: "2026-11-29T08:00:00.000Z" };

describe("isRetryable", () => {
  it("retries failures without an answer and server errors, never a refusal", () => {
    expect(isRetryable(new ApiRequestError("network", 0, "down"))).toBe(true);
    expect(isRetryable(new ApiRequestError("internal", 500, "oops"))).toBe(true);
    expect(isRetryable(new ApiRequestError("unexpected_response", 502, "proxy"))).toBe(true);
    expect(isRetryable(new ApiRequestError("not_found", 404, "gone"))).toBe(false);
    expect(isRetryable(new ApiRequestError("unauthenticated", 401, "signed out"))).toBe(false);
    expect(isRetryable(new Error("bug"))).toBe(false);
  });
});

describe("createQueryClient", () => {
  it("forgets the session when any request finds it gone, which sends the console to Sign in", async () => {
    const client = createQueryClient();
    client.setQueryData(queryKeys.session, session);
    const failing = client.fetchQuery({
      queryKey: queryKeys.tenants,
      queryFn: () => Promise.reject(new ApiRequestError("unauthenticated", 401, "The session has ended; sign in again.")),
    });
    await expect(failing).rejects.toThrow("The session has ended");
    expect(client.getQueryData(queryKeys.session)).toBeNull();
  });

  it("keeps the session on other failures", async () => {
    const client = createQueryClient();
    client.setQueryData(queryKeys.session, session);
    const failing = client.fetchQuery({ queryKey: queryKeys.tenant("x"), queryFn: () => Promise.reject(new ApiRequestError("not_found", 404, "No tenant.")) });
    await expect(failing).rejects.toThrow("No tenant.");
    expect(client.getQueryData(queryKeys.session)).toEqual(session);
  });
});
