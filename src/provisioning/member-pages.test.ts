import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CursorCodec } from "../scim/cursor.js";
import { registry } from "../scim/schema/registry.js";
import type { Store, StoreSession } from "../store/store.js";
import { createTenants, openTempSqliteStore, type TempSqliteStore } from "../store/testing/temp-store.js";
import type { ProvisioningContext } from "./context.js";
import { getResourcePaged, memberPagesAfter } from "./member-pages.js";

let temp: TempSqliteStore;
const reads: Array<{ after?: string; count: number }> = [];
let ctx: ProvisioningContext;
const userIds = Array.from({ length: 23 }, (_, i) => `u${String(i).padStart(3, "0")}`);

/** A store whose reads record every page of members they ask for. */
function observed(store: Store): Store {
  const read: Store["read"] = (work) =>
    store.read((session) => {
      const resources = Object.create(session.resources) as StoreSession["resources"];
      resources.pageMembers = (tenantId, groupId, page) => {
        reads.push({ ...page });
        return session.resources.pageMembers(tenantId, groupId, page);
      };
      return work({ ...session, resources });
    });
  return Object.assign(Object.create(store) as Store, { read });
}

beforeAll(async () => {
  temp = await openTempSqliteStore();
  await createTenants(temp.store, "t1");
  await temp.store.write(async (s) => {
    for (const id of userIds) await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: `${id}@example.org` }, created: "2026-01-01T00:00:00.000Z" });
    for (const [id, size] of [["g-big", 23], ["g-full", 5]] as const) {
      await s.resources.insert({ tenantId: "t1", id, type: "Group", attributes: { displayName: id }, created: "2026-01-01T00:00:00.000Z" });
      await s.resources.addMembers("t1", id, userIds.slice(0, size).map((value) => ({ value, type: "User" as const })));
    }
  });
  ctx = { store: observed(temp.store), registry, cursors: new CursorCodec(Buffer.alloc(32, 7)), now: () => new Date("2026-02-01T00:00:00.000Z") };
});
afterAll(() => temp.dispose());

describe("getResourcePaged", () => {
  it("reads the group with one page of members and leaves the rest to be read page by page", async () => {
    reads.length = 0;
    const view = await getResourcePaged(ctx, { tenantId: "t1", type: "Group" }, "g-big", { members: true, groups: false }, 5);
    expect(view.members?.map((m) => m.value)).toEqual(userIds.slice(0, 5));
    expect(reads).toEqual([{ count: 5 }]);
    const rest: string[][] = [];
    for await (const page of view.moreMembers!) rest.push(page.map((m) => m.value));
    expect(rest.map((page) => page.length)).toEqual([5, 5, 5, 3]);
    expect([...view.members!.map((m) => m.value), ...rest.flat()]).toEqual(userIds);
    expect(reads).toEqual([{ count: 5 }, { after: "u004", count: 5 }, { after: "u009", count: 5 }, { after: "u014", count: 5 }, { after: "u019", count: 5 }]);
  });

  it("has nothing more to read when the first page is not full", async () => {
    const view = await getResourcePaged(ctx, { tenantId: "t1", type: "Group" }, "g-big", { members: true, groups: false }, 50);
    expect(view.members).toHaveLength(23);
    expect(view.moreMembers).toBeUndefined();
  });

  it("ends with an empty last read when the members fill the pages exactly", async () => {
    const view = await getResourcePaged(ctx, { tenantId: "t1", type: "Group" }, "g-full", { members: true, groups: false }, 5);
    const rest: unknown[] = [];
    for await (const page of view.moreMembers!) rest.push(page);
    expect(rest).toEqual([]);
  });

  it("reads no members when the response does not return them", async () => {
    reads.length = 0;
    const view = await getResourcePaged(ctx, { tenantId: "t1", type: "Group" }, "g-big", { members: false, groups: false }, 5);
    expect(view.members).toBeUndefined();
    expect(reads).toEqual([]);
  });

  it("rejects with notFound for a group of another tenant or none", async () => {
    await expect(getResourcePaged(ctx, { tenantId: "t1", type: "Group" }, "missing", { members: true, groups: false })).rejects.toMatchObject({ code: "notFound" });
  });
});

describe("memberPagesAfter", () => {
  it("reads nothing until the first page is asked for", async () => {
    reads.length = 0;
    const pages = memberPagesAfter(ctx, "t1", "g-big", "u010", 4);
    expect(reads).toEqual([]);
    const first = await pages.next();
    expect(first.done ? [] : first.value.map((m) => m.value)).toEqual(["u011", "u012", "u013", "u014"]);
    expect(reads).toEqual([{ after: "u010", count: 4 }]);
    await pages.return(undefined);
  });
});
