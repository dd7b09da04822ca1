import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompareOperator } from "../../scim/filter/ast.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { registry, type ResolvedAttribute } from "../../scim/schema/registry.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

// Hostile values: SQL metacharacters, LIKE wildcards, quotes, backslashes, control characters, emoji and a lone BMP private-use char.
const hostile = ["'); DROP TABLE users; --", "100%", "a_b", "it's", 'say "hi"', "back\\slash", "tab\tand\u0001byte", "emoji 😀 ok", "\uE000private", "Robert'); DELETE FROM group_members; --"];

const schema = registry.forType("User");
const attr = (name: string): ResolvedAttribute => ({ schema: schema.core.id, extension: false, attribute: schema.coreAttribute(name)! });
const compare = (name: string, op: CompareOperator, value: string): ResolvedFilter => ({ kind: "compare", attr: attr(name), op, value });

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1");
  for (const [index, value] of hostile.entries()) {
    await insertResource(temp.store, "t1", "User", { userName: value, title: value, externalId: value }, `u${index}`);
  }
  await insertResource(temp.store, "t1", "User", { userName: "plain", title: "plain", externalId: "plain" }, "plain");
});
afterAll(() => temp.dispose());

async function matches(filter: ResolvedFilter): Promise<string[]> {
  const page = await temp.store.read((s) => s.resources.list("User", "t1", { filter, page: { kind: "index", startIndex: 1, count: 100 } }));
  return page.records.map((r) => r.id);
}

describe("hostile values", () => {
  it("stores every value and reads it back exactly", async () => {
    for (const [index, value] of hostile.entries()) {
      const record = await temp.store.read((s) => s.resources.get("User", "t1", `u${index}`));
      expect(record?.attributes).toEqual({ userName: value, title: value, externalId: value });
    }
  });

  it.each(hostile.map((value, index) => [value, index] as const))("finds %j by eq on a key column, a plain column and the JSON document", async (value, index) => {
    expect(await matches(compare("userName", "eq", value))).toEqual([`u${index}`]);
    expect(await matches(compare("externalId", "eq", value))).toEqual([`u${index}`]);
    expect(await matches(compare("title", "eq", value))).toEqual([`u${index}`]);
  });

  it("treats LIKE wildcards as ordinary characters in co, sw and ew", async () => {
    expect(await matches(compare("userName", "co", "%"))).toEqual(["u1"]);
    expect(await matches(compare("title", "co", "_"))).toEqual(["u2", "u9"]);
    expect(await matches(compare("externalId", "sw", "a_"))).toEqual(["u2"]);
    expect(await matches(compare("title", "ew", "0%"))).toEqual(["u1"]);
  });

  it("matches quotes, backslashes, control characters and emoji by substring", async () => {
    expect(await matches(compare("title", "co", "'"))).toEqual(["u0", "u3", "u9"]);
    expect(await matches(compare("userName", "co", '"hi"'))).toEqual(["u4"]);
    expect(await matches(compare("externalId", "co", "\\"))).toEqual(["u5"]);
    expect(await matches(compare("title", "ew", "\u0001byte"))).toEqual(["u6"]);
    expect(await matches(compare("userName", "co", "\t"))).toEqual(["u6"]);
    expect(await matches(compare("externalId", "sw", "tab\ta"))).toEqual(["u6"]);
    expect(await matches(compare("userName", "sw", "emoji 😀"))).toEqual(["u7"]);
    expect(await matches(compare("title", "ew", "😀 ok"))).toEqual(["u7"]);
  });

  it("matches nothing stored with a literal holding U+0000, except ne and the orders around it", async () => {
    for (const op of ["eq", "co", "sw", "ew"] as const) {
      expect(await matches(compare("userName", op, "it\u0000"))).toEqual([]);
      expect(await matches(compare("title", op, "\u0000"))).toEqual([]);
    }
    expect(await matches(compare("title", "ne", "it's\u0000"))).toHaveLength(hostile.length + 1);
    // "it's" and every value after "it\u0001" sort after "it\u0000…"; the rest before it.
    expect(await matches(compare("userName", "gt", "it\u0000s"))).toEqual(["plain", "u3", "u4", "u6", "u8", "u9"]);
    expect(await matches(compare("externalId", "le", "it\u0000"))).toEqual(["u0", "u1", "u2", "u5", "u7", "u9"]);
  });

  it("refuses to store U+0000 or an unpaired surrogate, on every database, naming the attribute", async () => {
    const insert = (attributes: Record<string, unknown>) => temp.store.write((s) => s.resources.insert({ tenantId: "t1", id: "x", type: "User", attributes: { userName: "x", ...attributes } as never, created: "2026-01-01T00:00:00.000Z" }));
    await expect(insert({ title: "nul\u0000byte" })).rejects.toMatchObject({ code: "invalidValue", detail: 'User attribute "title" contains the character U+0000, which cannot be stored.' });
    await expect(insert({ emails: [{ value: "a@x.example" }, { value: "\uD800" }] })).rejects.toMatchObject({ code: "invalidValue", detail: 'User attribute "emails[1].value" is not valid Unicode (it contains an unpaired surrogate).' });
    await expect(insert({ title: "a pair 😀 is fine" })).resolves.toMatchObject({ id: "x" });
    const update = temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "x", type: "User", attributes: { userName: "x\u0000" }, lastModified: "2026-01-01T00:00:00.000Z", expectedVersion: 1 }));
    await expect(update).rejects.toMatchObject({ code: "invalidValue", detail: 'User attribute "userName" contains the character U+0000, which cannot be stored.' });
    await temp.store.write((s) => s.resources.delete("User", "t1", "x"));
  });

  it("orders by code point: a private-use BMP character sorts before emoji", async () => {
    expect(await matches(compare("userName", "gt", "\uE000"))).toEqual(["u8"]);
    expect(await matches(compare("externalId", "gt", "\u{1F600}"))).toEqual([]);
  });

  it("leaves the schema and the other rows intact", async () => {
    expect(await temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "index", startIndex: 1, count: 0 } }))).toEqual({ records: [], totalResults: hostile.length + 1 });
  });
});
