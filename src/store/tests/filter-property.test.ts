import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareCodePoints } from "../../scim/filter/compare-code-points.js";
import { matchesElement, matchesResource } from "../../scim/filter/evaluate-filter.js";
import { parseAttributePath } from "../../scim/filter/parse-path.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { foldCase } from "../../scim/fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { findSubAttribute, leafOf, registry, type ResolvedAttribute } from "../../scim/schema/registry.js";
import type { CursorPosition, MemberView, SortSpec } from "../store.js";
import { dataset, groupFilter, memberFilter, userFilter, userSortPaths, type Dataset } from "../testing/arbitraries.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";

/*
 * The SQL compiled for a filter must select exactly the documents matchesResource accepts (and a member
 * DELETE exactly the members matchesElement accepts): random datasets, random filters resolved with
 * resolveFilter, both sides compared. Sorting and cursor paging are checked against an in-memory order
 * built from the store contract.
 */

const userIds = Array.from({ length: 8 }, (_, i) => `u${i}`);
const groupIds = Array.from({ length: 4 }, (_, i) => `g${i}`);
const runs = Number(process.env["STORE_PROPERTY_RUNS"] ?? 150);

interface Loaded {
  readonly tenantId: string;
  /** Documents as matchesResource reads them: attributes + id + meta (+ groups / members). */
  readonly users: JsonObject[];
  readonly groups: JsonObject[];
}

let temp: TempStore;
let tenantCount = 0;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.dispose());

/** Loads a dataset into a new tenant (one transaction) and builds the documents the evaluator sees. */
async function load(data: Dataset): Promise<Loaded> {
  const tenantId = `p${tenantCount++}`;
  const users = data.users.map((user, i) => ({ id: userIds[i]!, attributes: { ...user.attributes, userName: `${user.userName}#${i}` } as JsonObject, created: user.created }));
  const groups = data.groups.map((group, i) => ({
    id: groupIds[i]!,
    attributes: { displayName: `${group.displayName}#g${i}` } as JsonObject,
    created: group.created,
    members: [
      ...group.userMembers.filter((n) => n < users.length).map((n) => ({ value: users[n]!.id, type: "User" as const })),
      ...group.groupMembers.filter((n) => n < data.groups.length && n !== i).map((n) => ({ value: groupIds[n]!, type: "Group" as const })),
    ],
  }));
  await temp.store.write(async (s) => {
    await s.tenants.create({ id: tenantId, slug: tenantId, name: tenantId, created: "2026-01-01T00:00:00.000Z" });
    for (const user of users) await s.resources.insert({ tenantId, id: user.id, type: "User", attributes: user.attributes, created: user.created });
    for (const group of groups) await s.resources.insert({ tenantId, id: group.id, type: "Group", attributes: group.attributes, created: group.created });
    for (const group of groups) await s.resources.addMembers(tenantId, group.id, group.members);
  });
  const displayOf = (id: string): string => {
    const user = users.find((u) => u.id === id);
    if (user) {
      const shown = user.attributes["displayName"];
      return typeof shown === "string" && shown !== "" ? shown : (user.attributes["userName"] as string);
    }
    return groups.find((g) => g.id === id)!.attributes["displayName"] as string;
  };
  const meta = (created: string) => ({ created, lastModified: created });
  const userDocs = users.map((user) => {
    const memberOf = groups.filter((g) => g.members.some((m) => m.value === user.id)).map((g) => ({ value: g.id, display: displayOf(g.id), type: "direct" }));
    return { ...user.attributes, id: user.id, meta: meta(user.created), ...(memberOf.length > 0 ? { groups: memberOf } : {}) };
  });
  const groupDocs = groups.map((group) => {
    const members = [...group.members].sort((a, b) => compareCodePoints(a.value, b.value)).map((m) => ({ value: m.value, type: m.type, display: displayOf(m.value) }));
    return { ...group.attributes, id: group.id, meta: meta(group.created), ...(members.length > 0 ? { members } : {}) };
  });
  return { tenantId, users: userDocs, groups: groupDocs };
}

const byId = (a: string, b: string) => compareCodePoints(a, b);

async function selected(type: ResourceTypeName, tenantId: string, filter: ResolvedFilter): Promise<string[]> {
  const page = await temp.store.read((s) => s.resources.list(type, tenantId, { filter, page: { kind: "index", startIndex: 1, count: 100 } }));
  expect(page.totalResults).toBe(page.records.length);
  return page.records.map((record) => record.id);
}

describe("SQL filters agree with matchesResource", () => {
  it("selects the same Users", async () => {
    const schema = registry.forType("User");
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(userFilter([...userIds, ...groupIds]), { minLength: 1, maxLength: 6 }), async (data, nodes) => {
        const loaded = await load(data);
        for (const node of nodes) {
          const filter = unwrap(resolveFilter(node, schema));
          const expected = loaded.users.filter((doc) => matchesResource(doc, filter)).map((doc) => doc["id"] as string).sort(byId);
          expect(await selected("User", loaded.tenantId, filter)).toEqual(expected);
        }
      }),
      { numRuns: runs },
    );
  });

  it("selects the same Groups", async () => {
    const schema = registry.forType("Group");
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(groupFilter([...userIds, ...groupIds, "User", "group"]), { minLength: 1, maxLength: 6 }), async (data, nodes) => {
        const loaded = await load(data);
        for (const node of nodes) {
          const filter = unwrap(resolveFilter(node, schema));
          const expected = loaded.groups.filter((doc) => matchesResource(doc, filter)).map((doc) => doc["id"] as string).sort(byId);
          expect(await selected("Group", loaded.tenantId, filter)).toEqual(expected);
        }
      }),
      { numRuns: runs },
    );
  });

  it("removes exactly the members matchesElement accepts", async () => {
    const schema = registry.forType("Group");
    const rollback = new Error("rollback");
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(memberFilter([...userIds, ...groupIds, "User", "group"]), { minLength: 1, maxLength: 4 }), async (data, nodes) => {
        const loaded = await load(data);
        for (const node of nodes) {
          const resolved = unwrap(resolveFilter(node, schema));
          if (resolved.kind !== "valuePath") throw new Error("expected a value path");
          for (const group of loaded.groups) {
            const members = (group["members"] ?? []) as JsonObject[];
            const kept = members.filter((member) => !matchesElement(member, resolved.filter)).map((member) => member["value"]);
            const outcome = temp.store.write(async (s) => {
              const removed = await s.resources.removeMembersWhere(loaded.tenantId, group["id"] as string, resolved.filter);
              const left = (await s.resources.membersOf(loaded.tenantId, [group["id"] as string])).get(group["id"] as string) as MemberView[];
              expect(left.map((member) => member.value)).toEqual(kept);
              expect(removed).toBe(members.length - kept.length);
              throw rollback;
            });
            await expect(outcome).rejects.toBe(rollback);
          }
        }
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });
});

/** A sort key as list-request.ts builds it: complex attributes bound to their `value` sub-attribute. */
function sortAttribute(path: string): ResolvedAttribute {
  const resolved = registry.forType("User").resolve(unwrap(parseAttributePath(path)));
  if (!resolved.ok || resolved.value.kind !== "attribute") throw new Error(`not an attribute: ${path}`);
  const { schema, extension, attribute, subAttribute } = resolved.value;
  const sub = subAttribute ?? (attribute.type === "complex" ? findSubAttribute(attribute, "value") : undefined);
  return { schema, extension, attribute, ...(sub ? { subAttribute: sub } : {}) };
}

/** The sort value of a document per the store contract: primary element (else the first), folded, "" unassigned. */
function sortValue(doc: JsonObject, attr: ResolvedAttribute): string | boolean | null {
  const container = attr.extension ? doc[attr.schema] : doc;
  let value: JsonValue | undefined = isJsonObject(container) ? container[attr.attribute.name] : undefined;
  if (Array.isArray(value)) {
    const elements = value.filter(isJsonObject);
    value = elements.find((element) => element["primary"] === true) ?? elements[0];
  }
  if (attr.subAttribute) value = isJsonObject(value) ? value[attr.subAttribute.name] : undefined;
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return null;
  return leafOf(attr).caseExact || leafOf(attr).type === "dateTime" ? value : foldCase(value);
}

function compareSortValues(a: string | boolean | null, b: string | boolean | null): number {
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return compareCodePoints(String(a), String(b));
}

describe("SQL sorting and paging agree with the store contract", () => {
  it("orders Users by any sortable attribute, unassigned last, ties by id, and cursor pages walk that order", async () => {
    const schema = registry.forType("User");
    await fc.assert(
      fc.asyncProperty(
        dataset,
        fc.constantFrom(...userSortPaths),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.option(userFilter([...userIds]), { nil: undefined }),
        async (data, path, descending, count, node) => {
          const loaded = await load(data);
          const sort: SortSpec = { attr: sortAttribute(path), descending };
          const filter = node ? unwrap(resolveFilter(node, schema)) : undefined;
          const docs = filter ? loaded.users.filter((doc) => matchesResource(doc, filter)) : loaded.users;
          const direction = descending ? -1 : 1;
          const expected = docs
            .map((doc) => ({ id: doc["id"] as string, key: sortValue(doc, sort.attr) }))
            .sort((a, b) => {
              if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
              const byKey = a.key === null ? 0 : compareSortValues(a.key, b.key);
              return direction * (byKey !== 0 ? byKey : byId(a.id, b.id));
            })
            .map((entry) => entry.id);

          const query = { sort, ...(filter ? { filter } : {}) };
          const whole = await temp.store.read((s) => s.resources.list("User", loaded.tenantId, { ...query, page: { kind: "index", startIndex: 1, count: 100 } }));
          expect(whole.records.map((r) => r.id)).toEqual(expected);

          const walked: string[] = [];
          let after: CursorPosition | undefined;
          for (let pages = 0; pages <= expected.length; pages++) {
            const page = await temp.store.read((s) => s.resources.list("User", loaded.tenantId, { ...query, page: { kind: "cursor", count, ...(after ? { after } : {}) } }));
            expect(page.totalResults).toBe(expected.length);
            walked.push(...page.records.map((r) => r.id));
            after = page.next;
            if (!after) break;
          }
          expect(walked).toEqual(expected);

          const start = 1 + Math.floor(expected.length / 2);
          const slice = await temp.store.read((s) => s.resources.list("User", loaded.tenantId, { ...query, page: { kind: "index", startIndex: start, count } }));
          expect(slice.records.map((r) => r.id)).toEqual(expected.slice(start - 1, start - 1 + count));
        },
      ),
      { numRuns: runs },
    );
  });
});
