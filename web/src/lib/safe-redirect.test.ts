import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-redirect";

describe("safeNextPath", () => {
  it("returns to a console path with its query", () => {
    expect(safeNextPath("/tenants/acme/users?q=alex")).toBe("/tenants/acme/users?q=alex");
  });

  it.each([null, "", "tenants", "https://evil.example/", "//evil.example", "/\\evil.example", "/\t/evil.example"])(
    "goes to the start page instead of %j",
    (next) => {
      expect(safeNextPath(next)).toBe("/");
    },
  );

  it("does not return to the sign-in or setup pages", () => {
    expect(safeNextPath("/sign-in?next=%2F")).toBe("/");
    expect(safeNextPath("/setup/abc")).toBe("/");
  });
});
