import { parseOptions } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { adminPasswordHashOptions, hashAdminPassword, passwordProblem, verifyAdminPassword } from "./admin-passwords.js";

describe("admin password hashing", () => {
  it("hashes with argon2id at the configured cost and a fresh salt each time", async () => {
    const first = await hashAdminPassword("correct horse battery");
    const second = await hashAdminPassword("correct horse battery");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(first)).toMatchObject({ memoryCost: adminPasswordHashOptions.memoryCost, timeCost: adminPasswordHashOptions.timeCost, parallelism: 1 });
    expect(first).not.toBe(second);
  });

  it("verifies the right password, including its NFD spelling, and refuses a wrong one", async () => {
    const stored = await hashAdminPassword("Grüße aus Köln 2026");
    expect(await verifyAdminPassword(stored, "Grüße aus Köln 2026")).toBe(true);
    expect(await verifyAdminPassword(stored, "Grüße aus Köln 2026".normalize("NFD"))).toBe(true);
    expect(await verifyAdminPassword(stored, "Grüße aus Köln 2025")).toBe(false);
  });

  it("returns false without a stored hash and for a malformed one", async () => {
    expect(await verifyAdminPassword(undefined, "anything at all")).toBe(false);
    expect(await verifyAdminPassword("not-a-hash", "anything at all")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("accepts 12 to 256 characters, counted as code points", () => {
    expect(passwordProblem("a".repeat(12), "al@example.com")).toBeUndefined();
    expect(passwordProblem("🔑".repeat(12), "al@example.com")).toBeUndefined();
    expect(passwordProblem("a".repeat(256), "al@example.com")).toBeUndefined();
  });

  it("refuses passwords shorter than 12 or longer than 256 characters", () => {
    expect(passwordProblem("a".repeat(11), "al@example.com")).toBe("The password must be at least 12 characters long.");
    expect(passwordProblem("a".repeat(257), "al@example.com")).toBe("The password must be at most 256 characters long.");
  });

  it("refuses the email address as the password, whatever its case", () => {
    expect(passwordProblem("Alexandra@Example.com", "alexandra@example.com")).toBe("The password must not be the email address.");
  });
});
