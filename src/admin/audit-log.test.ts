import { describe, expect, it } from "vitest";
import { parseAuditFilter } from "./audit-log.js";

const parsed = (query: Record<string, unknown>) => {
  const result = parseAuditFilter(query);
  if (!result.ok) throw result.error;
  return result.value;
};
const refused = (query: Record<string, unknown>) => {
  const result = parseAuditFilter(query);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(query)}`);
  return { code: result.error.code, field: result.error.field };
};

describe("parseAuditFilter", () => {
  it("reads one action of the catalogue, or a whole area with .*", () => {
    expect(parsed({ action: "tenant.created" })).toEqual({ action: "tenant.created" });
    expect(parsed({ action: "scim_token.*" })).toEqual({ actionPrefix: "scim_token." });
    expect(refused({ action: "tenant.exploded" })).toEqual({ code: "invalid", field: "action" });
    expect(refused({ action: "constructor" })).toEqual({ code: "invalid", field: "action" });
    expect(refused({ action: "toString.*" })).toEqual({ code: "invalid", field: "action" });
  });

  it("maps the query names to the store's filter, trims text, lower-cases the slug and ignores empty values", () => {
    expect(parsed({ outcome: "failure", actorKind: "cli", actorId: " a1 ", actor: " Al@ ", tenant: "ACME", q: " azure ", action: "", since: "" })).toEqual({
      outcome: "failure",
      actorKind: "cli",
      actorId: "a1",
      actorLabel: "Al@",
      tenantSlug: "acme",
      text: "azure",
    });
    expect(parsed({})).toEqual({});
  });

  it("reads since and until as ISO 8601 dates or times, normalised to UTC with milliseconds", () => {
    expect(parsed({ since: "2026-03-01", until: "2026-03-02T01:00:00+01:00" })).toEqual({ since: "2026-03-01T00:00:00.000Z", until: "2026-03-02T00:00:00.000Z" });
    expect(refused({ since: "yesterday" })).toEqual({ code: "invalid", field: "since" });
    expect(refused({ until: "2026-13-45" })).toEqual({ code: "invalid", field: "until" });
  });

  it("refuses unknown outcomes and actor kinds, repeated parameters and overlong text", () => {
    expect(refused({ outcome: "maybe" })).toEqual({ code: "invalid", field: "outcome" });
    expect(refused({ actorKind: "robot" })).toEqual({ code: "invalid", field: "actorKind" });
    expect(refused({ actor: ["a", "b"] })).toEqual({ code: "invalid", field: "actor" });
    expect(refused({ q: "x".repeat(321) })).toEqual({ code: "invalid", field: "q" });
  });
});
