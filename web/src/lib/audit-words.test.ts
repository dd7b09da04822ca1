import { describe, expect, it } from "vitest";
import { actionWords, actorWords, dayAfter, dayStart, targetWords } from "./audit-words";

describe("audit words", () => {
  it("names actions from the catalogue, and unknown ones by their name", () => {
    expect(actionWords("tenant.created")).toBe("Create tenant");
    expect(actionWords("session.sign_in")).toBe("Sign in");
    expect(actionWords("webhook.created")).toBe("webhook.created");
    expect(actionWords("toString")).toBe("toString");
  });

  it("names every kind of actor", () => {
    expect(actorWords({ kind: "admin", id: "a1", label: "al@example.com" })).toBe("al@example.com");
    expect(actorWords({ kind: "cli", id: null, label: "root" })).toBe("root (command line)");
    expect(actorWords({ kind: "system", id: null, label: "audit retention" })).toBe("Muster (audit retention)");
    expect(actorWords({ kind: "anonymous", id: null, label: null })).toBe("Not signed in");
    expect(actorWords({ kind: "api_key", id: "k1", label: "deploy bot" })).toBe("API key deploy bot");
  });

  it("names targets by kind and label, falling back to the id", () => {
    expect(targetWords({ kind: "scim_token", id: "abc", label: "Azure AD SCIM" })).toBe("Token Azure AD SCIM");
    expect(targetWords({ kind: "scim_token", id: "abc", label: null })).toBe("Token abc");
    expect(targetWords({ kind: "setup_link", id: null, label: "first admin" })).toBe("Setup link for first admin");
    expect(targetWords({ kind: "tenant", id: null, label: null })).toBe("Tenant");
    expect(targetWords(null)).toBeNull();
  });

  it("turns a date input's day into the ISO range it covers, in the browser's time zone", () => {
    const start = dayStart("2026-03-01");
    expect(new Date(start).getFullYear()).toBe(2026);
    expect(new Date(start).getHours()).toBe(0);
    expect(Date.parse(dayAfter("2026-03-01")) - Date.parse(start)).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(new Date(dayAfter("2026-03-01")).getDate()).toBe(2);
    expect(dayStart("")).toBe("");
    expect(dayAfter("not a date")).toBe("");
  });
});
