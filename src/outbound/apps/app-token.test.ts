import { describe, expect, it } from "vitest";
import { AdminError } from "../../admin/admin-error.js";
import { checkAppToken, maskedTokenHint, tokenHintOf } from "./app-token.js";

describe("target tokens", () => {
  it("accepts a bearer token, dropping the newline a pipe or file adds", () => {
    expect(checkAppToken("  abc.DEF-123_xyz~+/=\n")).toBe("abc.DEF-123_xyz~+/=");
  });

  it("refuses a missing, empty, spaced, multi-line or oversized token on the token field, without repeating it", () => {
    for (const bad of [undefined, 42, "", "   ", "two words", "line\none", "tab\there", "x".repeat(8193)]) {
      let error: unknown;
      try {
        checkAppToken(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AdminError);
      expect(error).toMatchObject({ code: "invalid", field: "token" });
      if (typeof bad === "string" && bad.trim() !== "") expect((error as Error).message).not.toContain(bad.trim());
    }
  });

  it("keeps the last 4 characters as a hint, and none of a token shorter than 12", () => {
    expect(tokenHintOf("0123456789abXy3k")).toBe("Xy3k");
    expect(tokenHintOf("0123456789a")).toBe("");
    expect(maskedTokenHint("Xy3k")).toBe("••••Xy3k");
    expect(maskedTokenHint("")).toBe("••••");
  });
});
