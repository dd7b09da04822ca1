import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { applyPatch, type PatchOutcome } from "./apply-patch.js";

/** Okta PATCH traffic from COMPATIBILITY.md §2.2–2.3. */

const user = registry.forType("User");
const group = registry.forType("Group");
const patchOp = [Urn.PatchOp];

const kim: JsonObject = {
  userName: "kim.lee@example.org",
  name: { givenName: "Kim", familyName: "Lee" },
  emails: [{ primary: true, value: "kim.lee@example.org", type: "work" }],
  active: true,
};

function patch(schema: typeof user, id: string, attributes: JsonObject, body: unknown, relations: string[] = []): PatchOutcome {
  const result = applyPatch(schema, { id, attributes }, body, { relations: new Set(relations) });
  if (!result.ok) throw new Error(`expected ok, got ${result.error.scimType}: ${result.error.detail}`);
  return result.value;
}

describe("Okta user PATCH", () => {
  it("OKT-15: deactivates and reactivates with a path-less replace", () => {
    const deactivated = patch(user, "u-1", kim, { schemas: patchOp, Operations: [{ op: "replace", value: { active: false } }] });
    expect(deactivated.attributes).toEqual({ ...kim, active: false });
    expect(deactivated.changed).toBe(true);
    const reactivated = patch(user, "u-1", deactivated.attributes, { schemas: patchOp, Operations: [{ op: "replace", value: { active: true } }] });
    expect(reactivated.attributes).toEqual(kim);
  });

  it("OKT-15: takes a password sync from a path-less replace without storing it", () => {
    const outcome = patch(user, "u-1", kim, { schemas: patchOp, Operations: [{ op: "replace", value: { password: "n3w-Secret" } }] });
    expect(outcome).toEqual({ attributes: kim, memberChanges: [], password: "n3w-Secret", changed: false });
  });
});

describe("Okta group PATCH", () => {
  const team: JsonObject = { displayName: "Test Team" };

  it("OKT-22: renames with a path-less replace that echoes the group's own id", () => {
    const outcome = patch(group, "g-5d21", team, { schemas: patchOp, Operations: [{ op: "replace", value: { id: "g-5d21", displayName: "Test Team Renamed" } }] }, ["members"]);
    expect(outcome.attributes).toEqual({ displayName: "Test Team Renamed" });
    expect(outcome.memberChanges).toEqual([]);
  });

  it("OKT-22: returns mutability when the echoed id is another group's", () => {
    const result = applyPatch(group, { id: "g-5d21", attributes: team }, { Operations: [{ op: "replace", value: { id: "g-other", displayName: "X" } }] }, { relations: new Set(["members"]) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.scimType).toBe("mutability");
  });

  it("OKT-23: removes by filter and adds with display in one request, in order", () => {
    const body = {
      schemas: patchOp,
      Operations: [
        { op: "remove", path: 'members[value eq "u-3b77"]' },
        { op: "add", path: "members", value: [{ value: "u-8a10", display: "kim.lee@example.org" }] },
      ],
    };
    expect(patch(group, "g-1", team, body, ["members"]).memberChanges).toEqual([
      { kind: "remove", values: ["u-3b77"] },
      { kind: "add", members: [{ value: "u-8a10" }] },
    ]);
  });

  it("OKT-23: a full membership push replaces all members", () => {
    const body = { schemas: patchOp, Operations: [{ op: "replace", path: "members", value: [{ value: "u-1", display: "A" }, { value: "u-2", display: "B" }] }] };
    expect(patch(group, "g-1", team, body, ["members"]).memberChanges).toEqual([{ kind: "clear" }, { kind: "add", members: [{ value: "u-1" }, { value: "u-2" }] }]);
  });

  it("OKT-23: removes several members named by an or of value filters", () => {
    const body = { Operations: [{ op: "remove", path: 'members[value eq "a" or value eq "b"]' }] };
    expect(patch(group, "g-1", team, body, ["members"]).memberChanges).toEqual([{ kind: "remove", values: ["a", "b"] }]);
  });

  it("reports other member filters as removeWhere with the filter over member sub-attributes", () => {
    const [change] = patch(group, "g-1", team, { Operations: [{ op: "remove", path: 'members[type eq "Group"]' }] }, ["members"]).memberChanges;
    expect(change?.kind).toBe("removeWhere");
    if (change?.kind === "removeWhere") {
      expect(change.filter.kind).toBe("compare");
      if (change.filter.kind === "compare") {
        expect(change.filter.attr.subAttribute?.name).toBe("type");
        expect(change.filter.value).toBe("Group");
      }
    }
  });

  it("returns mutability for paths into member sub-attributes and filtered member replaces", () => {
    for (const operation of [
      { op: "replace", path: 'members[value eq "x"].display', value: "Y" },
      { op: "replace", path: 'members[value eq "x"]', value: { value: "y" } },
      { op: "remove", path: "members.display" },
    ]) {
      const result = applyPatch(group, { id: "g-1", attributes: team }, { Operations: [operation] }, { relations: new Set(["members"]) });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.scimType).toBe("mutability");
    }
  });

  it("returns invalidValue for a member entry without a value", () => {
    const result = applyPatch(group, { id: "g-1", attributes: team }, { Operations: [{ op: "add", path: "members", value: [{ display: "x" }] }] }, { relations: new Set(["members"]) });
    expect(!result.ok && result.error.scimType).toBe("invalidValue");
  });
});
