import { describe, expect, it } from "vitest";
import { loggedPath } from "./request-log.js";

describe("loggedPath", () => {
  it("drops the query", () => {
    expect(loggedPath("/scim/v2/acme/Users?filter=userName%20eq%20%22a%40b.c%22")).toBe("/scim/v2/acme/Users");
  });

  it("replaces the secret of a setup link, in the admin API and in the console, however the path is spelled", () => {
    const secret = "Q2hhbmdlIG1lIQ_abcdefghijklmnopqrstuvwxyz0123";
    expect(loggedPath(`/api/setup/${secret}`)).toBe("/api/setup/[redacted]");
    expect(loggedPath(`/admin/setup/${secret}?x=1`)).toBe("/admin/setup/[redacted]");
    expect(loggedPath(`//api//setup/${secret}/`)).toBe("//api//setup/[redacted]/");
    expect(loggedPath(`/API/Setup/${secret}`)).toBe("/API/Setup/[redacted]");
  });

  it("leaves other admin API paths as they are", () => {
    expect(loggedPath("/api/session")).toBe("/api/session");
    expect(loggedPath("/api/tenants/acme/tokens")).toBe("/api/tenants/acme/tokens");
  });
});
