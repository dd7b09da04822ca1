import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import type { JsonObject } from "../../scim/json.js";
import { unwrap } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import { searchTermsOf } from "../sql/search-terms.js";
import type { StatementKind } from "../store-observer.js";
import type { ResourceRecord } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

/*
 * An update given the attributes it replaces (ResourceUpdate.previous) rewrites the rows derived from
 * the document (user_emails, search_terms) only where they differ, and returns the record as written.
 */

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1");
});
afterEach(() => temp.dispose());

const at = "2026-02-03T04:05:06.789Z";

const alex: JsonObject = {
  userName: "alex@example.com",
  name: { givenName: "Alex", familyName: "Ng" },
  title: "Engineer",
  emails: [{ value: "Alex.Ng@Example.com", type: "work", primary: true }],
};

/** Reads the user and writes `change(attributes)` with the attributes read as `previous`, counting the statements the write ran. */
async function updateWithPrevious(id: string, change: (attributes: JsonObject) => JsonObject): Promise<{ record: ResourceRecord; statements: Partial<Record<StatementKind, number>> }> {
  const statements: Partial<Record<StatementKind, number>> = {};
  const detach = temp.store.observe({
    statement: (kind) => void (statements[kind] = (statements[kind] ?? 0) + 1),
    writeQueued: () => undefined,
    groupCommitted: () => undefined,
  });
  try {
    const record = await temp.store.write(async (s) => {
      const current = (await s.resources.get("User", "t1", id))!;
      return s.resources.update({ tenantId: "t1", id, type: "User", attributes: change(current.attributes), lastModified: at, expectedVersion: current.version, previous: current.attributes });
    });
    return { record, statements };
  } finally {
    detach();
  }
}

async function emailMatches(value: string): Promise<string[]> {
  const filter = unwrap(resolveFilter(unwrap(parseFilter(`emails[type eq "work"].value eq "${value}"`)), registry.forType("User")));
  const page = await temp.store.read((s) => s.resources.list("User", "t1", { filter, page: { kind: "index", startIndex: 1, count: 10 } }));
  return page.records.map((record) => record.id);
}

async function searchMatches(word: string): Promise<string[]> {
  const page = await temp.store.read((s) => s.resources.list("User", "t1", { search: [word], page: { kind: "index", startIndex: 1, count: 10 } }));
  return page.records.map((record) => record.id);
}

async function storedTerms(id: string): Promise<string[]> {
  const rows = await temp.raw<{ term_key: string }>(sql`select term_key from search_terms where tenant_id = 't1' and resource_id = ${id}`);
  return rows.map((row) => row.term_key).sort();
}

describe("updates given the previous attributes", () => {
  it("run the UPDATE alone when neither the emails nor the searchable words change", async () => {
    await insertResource(temp.store, "t1", "User", alex, "u1");
    const { record, statements } = await updateWithPrevious("u1", (attributes) => ({ ...attributes, title: "Manager" }));
    expect(statements.update).toBe(1);
    expect(statements.delete ?? 0).toBe(0);
    expect(statements.insert ?? 0).toBe(0);
    // Email filters and search still find the user through the rows left in place.
    expect(await emailMatches("alex.ng@example.com")).toEqual(["u1"]);
    expect(await searchMatches("ng")).toEqual(["u1"]);
    expect(record).toEqual(await temp.store.read((s) => s.resources.get("User", "t1", "u1")));
    expect(record).toMatchObject({ version: 2, lastModified: at, created: "2026-01-02T03:04:05.678Z", attributes: { title: "Manager" } });
  });

  it("replace the email rows and exactly the search terms that changed when they do", async () => {
    await insertResource(temp.store, "t1", "User", alex, "u1");
    const renamed = { ...alex, name: { givenName: "Alex", familyName: "Moreau" }, emails: [{ value: "alex.moreau@example.org", type: "work" }] };
    const { record } = await updateWithPrevious("u1", () => renamed);
    expect(await emailMatches("alex.ng@example.com")).toEqual([]);
    expect(await emailMatches("ALEX.MOREAU@example.org")).toEqual(["u1"]);
    expect(await searchMatches("ng")).toEqual([]);
    expect(await searchMatches("moreau")).toEqual(["u1"]);
    expect(await searchMatches("example.org")).toEqual(["u1"]);
    expect(await storedTerms("u1")).toEqual(searchTermsOf("User", renamed).sort());
    expect(record).toEqual(await temp.store.read((s) => s.resources.get("User", "t1", "u1")));
  });

  it("rewrite the email rows when only an email's type or primary flag changes", async () => {
    await insertResource(temp.store, "t1", "User", alex, "u1");
    await updateWithPrevious("u1", (attributes) => ({ ...attributes, emails: [{ value: "Alex.Ng@Example.com", type: "home", primary: true }] }));
    expect(await emailMatches("alex.ng@example.com")).toEqual([]);
    const rows = await temp.raw<{ type_key: string }>(sql`select type_key from user_emails where tenant_id = 't1' and user_id = 'u1'`);
    expect(rows.map((row) => row.type_key)).toEqual(["home"]);
  });

  it("fail with preconditionFailed and write nothing when the version moved", async () => {
    await insertResource(temp.store, "t1", "User", alex, "u1");
    const attempt = temp.store.write(async (s) => {
      const current = (await s.resources.get("User", "t1", "u1"))!;
      return s.resources.update({ tenantId: "t1", id: "u1", type: "User", attributes: { ...alex, userName: "other@example.com" }, lastModified: at, expectedVersion: current.version + 1, previous: current.attributes });
    });
    await expect(attempt).rejects.toMatchObject({ code: "preconditionFailed" });
    expect(await searchMatches("other")).toEqual([]);
    expect(await storedTerms("u1")).toEqual(searchTermsOf("User", alex).sort());
  });
});
