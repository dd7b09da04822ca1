import { describe, expect, it } from "vitest";
import { passwordRules } from "../../../shared/admin-api";
import { checkNewPassword } from "./password-check";

describe("checkNewPassword", () => {
  it("accepts a password of the minimum length that matches its confirmation", () => {
    const password = "x".repeat(passwordRules.minLength);
    expect(checkNewPassword(password, password)).toEqual({ password: null, confirmation: null });
  });

  it("refuses a password one character short of the server's minimum", () => {
    const password = "x".repeat(passwordRules.minLength - 1);
    expect(checkNewPassword(password, password).password).toBe(`Use at least ${passwordRules.minLength} characters.`);
  });

  it("refuses a password over the server's maximum", () => {
    const password = "x".repeat(passwordRules.maxLength + 1);
    expect(checkNewPassword(password, password).password).toBe(`Use at most ${passwordRules.maxLength} characters.`);
  });

  it("reports a confirmation that differs", () => {
    expect(checkNewPassword("correct horse battery", "correct horse battery!").confirmation).toBe("The two passwords differ.");
  });
});
