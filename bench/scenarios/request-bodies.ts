import type { JsonObject } from "../../src/scim/json.js";
import { enterpriseUserUrn, patchOpUrn, userBody } from "../dataset/generate-user.js";
import type { TenantPlan } from "../dataset/tenant-plan.js";
import { titles } from "../dataset/names.js";
import type { SeededRandom } from "../random.js";

/** A filter as identity providers put it in a query string: percent-encoded with `+` for spaces. */
export function filterQuery(filter: string): string {
  return `filter=${encodeURIComponent(filter).replace(/%20/g, "+")}`;
}

/** Entra ID's attribute update: Replace of three attributes, one of them through a value filter (COMPATIBILITY ENT-40). */
export function entraUserPatch(rng: SeededRandom): JsonObject {
  return {
    schemas: [patchOpUrn],
    Operations: [
      { op: "Replace", path: "title", value: rng.pick(titles) },
      { op: "Replace", path: `${enterpriseUserUrn}:department`, value: `Department ${rng.int(500)}` },
      { op: "Replace", path: 'phoneNumbers[type eq "work"].value', value: `+1 425 555 ${String(rng.int(10_000)).padStart(4, "0")}` },
    ],
  };
}

/** Okta's PUT: the whole user as Okta knows it (no manager: Okta does not hold Muster's ids), with a changed title. */
export function oktaUserReplace(plan: Pick<TenantPlan, "seed">, index: number, rng: SeededRandom): JsonObject {
  return { ...userBody(plan, index), title: rng.pick(titles) };
}

/** Entra ID's member change: one member added or removed, value as an array of objects (ENT-53, ENT-55). */
export function entraMemberPatch(op: "Add" | "Remove", memberId: string): JsonObject {
  return { schemas: [patchOpUrn], Operations: [{ op, path: "members", value: [{ value: memberId }] }] };
}

/** Entra ID adding several members in one PATCH. */
export function entraMembersAdd(memberIds: readonly string[]): JsonObject {
  return { schemas: [patchOpUrn], Operations: [{ op: "Add", path: "members", value: memberIds.map((value) => ({ value })) }] };
}
