import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProvisioningContext } from "../provisioning/context.js";
import { CursorCodec } from "../scim/cursor.js";
import type { JsonObject } from "../scim/json.js";
import { registry } from "../scim/schema/registry.js";
import type { TenantRecord } from "../store/store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../store/testing/temp-store.js";
import type { AdminError } from "./admin-error.js";
import { getGroup, getUser, listGroups, listMembers, listUsers, parseMemberQuery, userRowOf } from "./directory.js";
import { parseDirectoryQuery } from "./directory-query.js";
import type { RawQuery } from "./paging.js";

let temp: TempStore;
let ctx: ProvisioningContext;
let t1: TenantRecord;
let t2: TenantRecord;
const minute = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();

beforeEach(async () => {
  temp = await openTempStore();
  ctx = { store: temp.store, registry, cursors: new CursorCodec(randomBytes(32)), now: () => new Date() };
  await createTenants(temp.store, "t1", "t2");
  t1 = (await temp.store.read((s) => s.tenants.bySlug("t1")))!;
  t2 = (await temp.store.read((s) => s.tenants.bySlug("t2")))!;
  for (let i = 0; i < 7; i++) {
    const attributes: JsonObject = { userName: `user${i}@acme.example`, name: { givenName: `Given${i}`, familyName: i % 2 === 0 ? "Even" : "Odd" }, active: i !== 3, emails: [{ value: `user${i}@acme.example`, primary: true }] };
    await insertResource(temp.store, "t1", "User", attributes, `u${i}`, minute(i));
  }
  await insertResource(temp.store, "t2", "User", { userName: "stranger@other.example" }, "x1", minute(1));
  await insertResource(temp.store, "t1", "Group", { displayName: "Evens", externalId: "ext-e" }, "g-even", minute(10));
  await insertResource(temp.store, "t1", "Group", { displayName: "Admins" }, "g-admin", minute(11));
  await temp.store.write((s) => s.resources.addMembers("t1", "g-even", [0, 2, 4, 6].map((i) => ({ value: `u${i}`, type: "User" as const }))));
  await temp.store.write((s) => s.resources.addMembers("t1", "g-admin", [{ value: "u1", type: "User" }, { value: "g-even", type: "Group" }]));
});
afterEach(() => temp.dispose());

function request(tenant: TenantRecord, type: "User" | "Group", query: RawQuery) {
  const parsed = parseDirectoryQuery(ctx, tenant, registry.forType(type), query);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function problem(tenant: TenantRecord, type: "User" | "Group", query: RawQuery): { field: string | undefined; message: string } {
  const parsed = parseDirectoryQuery(ctx, tenant, registry.forType(type), query);
  if (parsed.ok) throw new Error("expected an error");
  return { field: parsed.error.field, message: parsed.error.message };
}

describe("userRowOf", () => {
  const record = (attributes: JsonObject) => ({ tenantId: "t", id: "u", type: "User" as const, attributes, created: minute(0), lastModified: minute(1), version: 1 });

  it("takes name.formatted, else given and family name, else displayName", () => {
    expect(userRowOf(record({ userName: "a", name: { formatted: "Dr. A", givenName: "A" } })).name).toBe("Dr. A");
    expect(userRowOf(record({ userName: "a", name: { familyName: "Ng" }, displayName: "Alex" })).name).toBe("Ng");
    expect(userRowOf(record({ userName: "a", displayName: "Alex" })).name).toBe("Alex");
    expect(userRowOf(record({ userName: "a" })).name).toBeNull();
  });

  it("takes the primary email, else the first; inactive only when active is false", () => {
    const row = userRowOf(record({ userName: "a", emails: [{ value: "home@x" }, { value: "work@x", primary: true }], active: true }));
    expect(row).toEqual({ id: "u", userName: "a", name: null, email: "work@x", active: true, lastModified: minute(1) });
    expect(userRowOf(record({ userName: "a", emails: [{ value: "home@x" }] })).email).toBe("home@x");
    expect(userRowOf(record({ userName: "a" })).active).toBe(true);
    expect(userRowOf(record({ userName: "a", active: false })).active).toBe(false);
  });
});

describe("listUsers", () => {
  it("lists newest first by default, with the total and a cursor to the next page", async () => {
    const first = await listUsers(ctx, t1, request(t1, "User", { count: "3" }));
    expect(first.items.map((row) => row.id)).toEqual(["u6", "u5", "u4"]);
    expect(first.total).toBe(7);
    expect(first.items[0]).toEqual({ id: "u6", userName: "user6@acme.example", name: "Given6 Even", email: "user6@acme.example", active: true, lastModified: minute(6) });
    const second = await listUsers(ctx, t1, request(t1, "User", { count: "3", cursor: first.nextCursor! }));
    expect(second.items.map((row) => row.id)).toEqual(["u3", "u2", "u1"]);
    const last = await listUsers(ctx, t1, request(t1, "User", { count: "3", cursor: second.nextCursor! }));
    expect(last.items.map((row) => row.id)).toEqual(["u0"]);
    expect(last.nextCursor).toBeNull();
  });

  it("searches, filters and sorts in the database", async () => {
    expect((await listUsers(ctx, t1, request(t1, "User", { q: "ODD" }))).items.map((row) => row.id)).toEqual(["u5", "u3", "u1"]);
    const filtered = await listUsers(ctx, t1, request(t1, "User", { q: "odd", filter: "active eq true", sortBy: "userName", sortOrder: "ascending" }));
    expect(filtered.items.map((row) => row.id)).toEqual(["u1", "u5"]);
    expect(filtered.total).toBe(2);
    expect((await listUsers(ctx, t1, request(t1, "User", { sortBy: "name.givenName" }))).items.map((row) => row.id)).toEqual(["u0", "u1", "u2", "u3", "u4", "u5", "u6"]);
    expect((await listUsers(ctx, t1, request(t1, "User", { sortOrder: "ascending" }))).items[0]?.id).toBe("u0");
  });

  it("never lists another tenant's users", async () => {
    expect((await listUsers(ctx, t2, request(t2, "User", {}))).items.map((row) => row.id)).toEqual(["x1"]);
    expect((await listUsers(ctx, t2, request(t2, "User", { q: "user1" }))).total).toBe(0);
  });

  it("refuses a cursor of another query, tenant or type", async () => {
    const page = await listUsers(ctx, t1, request(t1, "User", { count: "2" }));
    expect(problem(t1, "User", { count: "2", cursor: page.nextCursor!, q: "odd" }).field).toBe("cursor");
    expect(problem(t2, "User", { count: "2", cursor: page.nextCursor! }).field).toBe("cursor");
    expect(problem(t1, "Group", { count: "2", cursor: page.nextCursor! }).field).toBe("cursor");
    expect(problem(t1, "User", { cursor: "garbage" }).field).toBe("cursor");
  });

  it.each([
    [{ count: "0" }, "count"],
    [{ count: "201" }, "count"],
    [{ count: "ten" }, "count"],
    [{ filter: "userName eq" }, "filter"],
    [{ filter: 'nosuch eq "x"' }, "filter"],
    [{ sortBy: "nosuch" }, "sortBy"],
    [{ sortOrder: "up" }, "sortOrder"],
    [{ q: ["a", "b"] }, "q"],
    [{ q: "x".repeat(201) }, "q"],
  ])("refuses %j naming the parameter", (query, field) => {
    expect(problem(t1, "User", query as RawQuery).field).toBe(field);
  });
});

describe("groups", () => {
  it("lists groups by name with member counts", async () => {
    const page = await listGroups(ctx, t1, request(t1, "Group", {}));
    expect(page.items).toEqual([
      { id: "g-admin", displayName: "Admins", externalId: null, memberCount: 2, lastModified: minute(11) },
      { id: "g-even", displayName: "Evens", externalId: "ext-e", memberCount: 4, lastModified: minute(10) },
    ]);
    expect((await listGroups(ctx, t1, request(t1, "Group", { q: "ev" }))).items.map((row) => row.id)).toEqual(["g-even"]);
    expect((await listGroups(ctx, t2, request(t2, "Group", {}))).total).toBe(0);
  });

  it("gives a group's detail with its member count, and pages its members", async () => {
    const detail = await getGroup(ctx, t1, "g-even");
    expect(detail.memberCount).toBe(4);
    expect(detail.view.members).toBeUndefined();
    const page = (query: RawQuery) => {
      const start = parseMemberQuery(ctx, t1, "g-even", query);
      if (!start.ok) throw start.error;
      return listMembers(ctx, t1, "g-even", start.value);
    };
    const first = await page({ count: "3" });
    expect(first).toMatchObject({ total: 4, items: [{ id: "u0", type: "User", display: "user0@acme.example" }, { id: "u2" }, { id: "u4" }] });
    const second = await page({ count: "3", cursor: first.nextCursor! });
    expect(second.items.map((member) => member.id)).toEqual(["u6"]);
    expect(second.nextCursor).toBeNull();
    const admins = parseMemberQuery(ctx, t1, "g-admin", { cursor: first.nextCursor! });
    expect(admins.ok).toBe(false);
  });

  it("answers not_found for groups and users of another tenant", async () => {
    await expect(getGroup(ctx, t2, "g-even")).rejects.toMatchObject({ code: "not_found" } satisfies Partial<AdminError>);
    await expect(listMembers(ctx, t2, "g-even", { count: 5, fingerprint: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(getUser(ctx, t2, "u1")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("getUser", () => {
  it("gives the user with its direct groups", async () => {
    const view = await getUser(ctx, t1, "u0");
    expect(view.record.attributes["userName"]).toBe("user0@acme.example");
    expect(view.groups).toEqual([{ value: "g-even", display: "Evens" }]);
  });
});
