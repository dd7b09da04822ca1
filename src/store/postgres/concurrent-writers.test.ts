import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ScimError } from "../../scim/errors.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { openStore } from "../open-store.js";
import type { Store, StoreSession } from "../store.js";
import { createTenants, insertResource } from "../testing/temp-store.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../testing/test-database.js";

/*
 * Two stores on one database, each with its own pool, stand for two Muster nodes. Every scenario is
 * one the provisioning use cases run (src/provisioning/resources.ts): read the resource inside the
 * write, change it, write it back with the version read.
 */

let url: string;
let nodeA: Store;
let nodeB: Store;
beforeEach(async () => {
  url = await createTestPostgresDatabase();
  nodeA = await openStore(url);
  nodeB = await openStore(url, { lockTimeoutMs: 300 });
  await createTenants(nodeA, "t1");
});
afterEach(async () => {
  await nodeA.close();
  await nodeB.close();
  await dropTestPostgresDatabase(url);
});

const nodes = () => [nodeA, nodeB];
const at = "2026-01-01T00:00:00.000Z";

function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A PATCH as patchResource runs it: read (and lock) the resource, change it, write it with the version read. */
async function patchUser(session: StoreSession, id: string, change: (attributes: Record<string, unknown>) => Record<string, unknown>) {
  const current = await session.resources.get("User", "t1", id);
  if (!current) throw new Error(`no user ${id}`);
  return session.resources.update({ tenantId: "t1", id, type: "User", attributes: change({ ...current.attributes }) as never, lastModified: at, expectedVersion: current.version });
}

/** A member PATCH as patchResource runs it: lock the group, check the members exist, add or remove rows, new version. */
async function patchMembers(session: StoreSession, groupId: string, add: readonly string[], remove: readonly string[]) {
  if (!(await session.resources.get("Group", "t1", groupId))) throw new Error(`no group ${groupId}`);
  const found = await session.resources.findMembers("t1", add);
  await session.resources.addMembers("t1", groupId, add.filter((id) => found.has(id)).map((value) => ({ value, type: found.get(value)! })));
  await session.resources.removeMembers("t1", groupId, remove);
  await session.resources.touch("Group", "t1", groupId, at);
}

/** A DELETE as deleteResource runs it: lock the resource, drop it and its memberships, new versions for its groups. */
async function deleteResource(session: StoreSession, type: ResourceTypeName, id: string) {
  if (!(await session.resources.get(type, "t1", id))) return;
  const groups = (await session.resources.groupsOf("t1", [id])).get(id) ?? [];
  await session.resources.delete(type, "t1", id);
  for (const group of groups) await session.resources.touch("Group", "t1", group.value, at);
}

describe("two nodes on one PostgreSQL database", () => {
  it("gives exactly one success when both create the same userName at once, and uniqueness for the rest", async () => {
    const attempts = Array.from({ length: 16 }, (_, i) => insertResource(nodes()[i % 2]!, "t1", "User", { userName: i % 3 ? "Dup@Example.com" : "dup@example.COM" }));
    const outcomes = await Promise.allSettled(attempts);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const reasons = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected").map((outcome) => (outcome.reason as ScimError).code);
    expect(reasons).toEqual(Array(15).fill("uniqueness"));
    expect(await nodeB.read(async (s) => (await s.resources.list("User", "t1", { page: { kind: "index", startIndex: 1, count: 10 } })).totalResults)).toBe(1);
  });

  it("loses no membership when both add and remove different members of one group at once", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `u${String(i).padStart(2, "0")}`);
    await nodeA.write(async (s) => {
      for (const id of ids) await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: id }, created: at });
      await s.resources.insert({ tenantId: "t1", id: "g", type: "Group", attributes: { displayName: "Staff" }, created: at });
      await s.resources.addMembers("t1", "g", ids.slice(0, 20).map((value) => ({ value, type: "User" as const })));
    });
    const changes = [
      ...ids.slice(20).map((id) => nodeA.write((s) => patchMembers(s, "g", [id], []))),
      ...ids.slice(0, 10).map((id) => nodeB.write((s) => patchMembers(s, "g", [], [id]))),
      ...ids.slice(10, 15).map((id, i) => nodes()[i % 2]!.write((s) => patchMembers(s, "g", [ids[39 - i]!], [id]))),
    ];
    await Promise.all(changes);
    const members = (await nodeB.read((s) => s.resources.membersOf("t1", ["g"]))).get("g")!.map((member) => member.value);
    expect(members).toEqual(ids.slice(15));
    expect((await nodeA.read((s) => s.resources.get("Group", "t1", "g")))?.version).toBe(1 + changes.length);
  });

  it("serialises read-modify-write of one resource: no lost update and no spurious precondition failure", async () => {
    await insertResource(nodeA, "t1", "User", { userName: "shared", roles: [] }, "u1");
    const writers = Array.from({ length: 20 }, (_, i) => nodes()[i % 2]!.write((s) => patchUser(s, "u1", (attributes) => ({ ...attributes, roles: [...(attributes["roles"] as object[]), { value: `r${i}` }] }))));
    await Promise.all(writers);
    const user = await nodeA.read((s) => s.resources.get("User", "t1", "u1"));
    expect(user?.version).toBe(21);
    expect((user?.attributes["roles"] as { value: string }[]).map((role) => role.value).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`).sort());
  });

  it("answers preconditionFailed when the version a client read changed on the other node (If-Match)", async () => {
    await insertResource(nodeA, "t1", "User", { userName: "v" }, "u1");
    const seen = await nodeA.read((s) => s.resources.get("User", "t1", "u1"));
    await nodeB.write((s) => patchUser(s, "u1", (attributes) => ({ ...attributes, title: "B" })));
    const stale = nodeA.write((s) => s.resources.update({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "v", title: "A" }, lastModified: at, expectedVersion: seen!.version }));
    await expect(stale).rejects.toMatchObject({ code: "preconditionFailed", status: 412 });
    expect((await nodeA.read((s) => s.resources.get("User", "t1", "u1")))?.attributes).toEqual({ userName: "v", title: "B" });
  });

  it("never leaves a membership of a user that the other node deletes while adding it", async () => {
    await insertResource(nodeA, "t1", "User", { userName: "leaving" }, "u1");
    await insertResource(nodeA, "t1", "Group", { displayName: "G" }, "g");
    const checked = gate();
    const deleting = gate();
    const adding = nodeA.write(async (s) => {
      await s.resources.get("Group", "t1", "g");
      const found = await s.resources.findMembers("t1", ["u1"]);
      checked.open();
      // Give the delete on the other node time to reach the user while this transaction is still open.
      await deleting.opened;
      await new Promise((resolve) => setTimeout(resolve, 150));
      await s.resources.addMembers("t1", "g", [...found].map(([value, type]) => ({ value, type })));
      await s.resources.touch("Group", "t1", "g", at);
    });
    await checked.opened;
    const deleted = nodeB.write((s) => deleteResource(s, "User", "u1"));
    deleting.open();
    await Promise.all([adding, deleted]);
    expect(await nodeA.read((s) => s.resources.get("User", "t1", "u1"))).toBeUndefined();
    expect((await nodeA.read((s) => s.resources.membersOf("t1", ["g"]))).get("g")).toEqual([]);
  });

  it("adds no membership of a user that the other node is deleting when the add's INSERT … SELECT meets it", async () => {
    await insertResource(nodeA, "t1", "User", { userName: "leaving" }, "u1");
    await insertResource(nodeA, "t1", "Group", { displayName: "G" }, "g");
    const locked = gate();
    const release = gate();
    const deleted = nodeB.write(async (s) => {
      await deleteResource(s, "User", "u1");
      locked.open();
      await release.opened;
    });
    await locked.opened;
    const adding = nodeA.write(async (s) => {
      await s.resources.get("Group", "t1", "g");
      return s.resources.addFoundMembers("t1", "g", ["u1"]);
    });
    // The add waits on the deleted row's lock; once the delete commits, the row is gone for it too.
    await new Promise((resolve) => setTimeout(resolve, 150));
    release.open();
    await deleted;
    expect(await adding).toEqual(new Map());
    expect((await nodeA.read((s) => s.resources.membersOf("t1", ["g"]))).get("g")).toEqual([]);
  });

  it("runs a transaction again when the database breaks a deadlock between the nodes", async () => {
    await insertResource(nodeA, "t1", "User", { userName: "one" }, "u1");
    await insertResource(nodeA, "t1", "User", { userName: "two" }, "u2");
    let attempts = 0;
    let holding = 0;
    const both = gate();
    const crosswise = (store: Store, first: string, second: string) =>
      store.write(async (s) => {
        attempts += 1;
        const firstAttempt = attempts <= 2;
        await s.resources.get("User", "t1", first);
        if (firstAttempt) {
          holding += 1;
          if (holding === 2) both.open();
          await both.opened;
        }
        await s.resources.get("User", "t1", second);
        return s.resources.touch("User", "t1", first, at);
      });
    // nodeB's short lock timeout would end the wait before the deadlock check runs: both sides use nodeA's pool here and nodeB's below.
    const outcomes = await Promise.allSettled([crosswise(nodeA, "u1", "u2"), crosswise(nodeA, "u2", "u1")]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(attempts).toBe(3);
    const versions = await nodeB.read(async (s) => [(await s.resources.get("User", "t1", "u1"))?.version, (await s.resources.get("User", "t1", "u2"))?.version]);
    expect(versions).toEqual([2, 2]);
  });

  it("answers unavailable with Retry-After when the other node holds a row past the lock timeout, writing nothing", async () => {
    await insertResource(nodeA, "t1", "User", { userName: "busy" }, "u1");
    const locked = gate();
    const release = gate();
    const holder = nodeA.write(async (s) => {
      await s.resources.get("User", "t1", "u1");
      locked.open();
      await release.opened;
    });
    await locked.opened;
    const waiting = nodeB.write((s) => patchUser(s, "u1", (attributes) => ({ ...attributes, title: "late" })));
    await expect(waiting).rejects.toMatchObject({ code: "unavailable", status: 503, headers: { "Retry-After": "1" } });
    release.open();
    await holder;
    expect((await nodeB.read((s) => s.resources.get("User", "t1", "u1")))?.attributes).toEqual({ userName: "busy" });
  });
});
