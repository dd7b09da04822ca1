import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScimError } from "../../scim/errors.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
});
afterEach(() => temp.dispose());

async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ScimError);
  return error as ScimError;
}

/** A boolean as the database stores it: 0/1 on SQLite, a boolean on PostgreSQL. */
const stored = (value: boolean): unknown => (temp.kind === "sqlite" ? Number(value) : value);

describe("insert and get", () => {
  it("stores the attribute document exactly and starts at version 1", async () => {
    const attributes = { userName: "Ada", name: { givenName: "Ada" }, emails: [{ value: "ada@x.example", primary: true }], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "R&D" } };
    const inserted = await insertResource(temp.store, "t1", "User", attributes, "u1", "2026-03-04T05:06:07.890Z");
    expect(inserted).toEqual({ tenantId: "t1", id: "u1", type: "User", attributes, created: "2026-03-04T05:06:07.890Z", lastModified: "2026-03-04T05:06:07.890Z", version: 1 });
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "u1"))).toEqual(inserted);
  });

  it("returns undefined for an unknown id and for another tenant's id", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "G" }, "g1");
    expect(await temp.store.read((s) => s.resources.get("Group", "t1", "nope"))).toBeUndefined();
    expect(await temp.store.read((s) => s.resources.get("Group", "t2", "g1"))).toBeUndefined();
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "g1"))).toBeUndefined();
  });

  it("returns uniqueness when userName differs only by case", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "Alex.Ng@Contoso.example" });
    const error = await rejection(insertResource(temp.store, "t1", "User", { userName: "alex.ng@contoso.EXAMPLE" }));
    expect(error.code).toBe("uniqueness");
    expect(error.status).toBe(409);
    expect(error.detail).toBe('userName "alex.ng@contoso.EXAMPLE" is already taken in this tenant.');
  });

  it("returns uniqueness when a group displayName differs only by case", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "Sales EMEA" });
    const error = await rejection(insertResource(temp.store, "t1", "Group", { displayName: "SALES emea" }));
    expect(error.code).toBe("uniqueness");
    expect(error.detail).toBe('Group displayName "SALES emea" is already taken in this tenant.');
  });

  it("folds names with the shared foldCase (NFC), so composed and decomposed forms collide", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "Jos\u00e9" });
    const error = await rejection(insertResource(temp.store, "t1", "User", { userName: "JOSE\u0301" }));
    expect(error.code).toBe("uniqueness");
  });

  it("allows the same userName and displayName in another tenant", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "bob" });
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" });
    await expect(insertResource(temp.store, "t2", "User", { userName: "BOB" })).resolves.toMatchObject({ tenantId: "t2" });
    await expect(insertResource(temp.store, "t2", "Group", { displayName: "staff" })).resolves.toMatchObject({ tenantId: "t2" });
  });

  it("returns invalidValue when userName or displayName is missing or blank", async () => {
    expect((await rejection(insertResource(temp.store, "t1", "User", { displayName: "x" }))).code).toBe("invalidValue");
    expect((await rejection(insertResource(temp.store, "t1", "User", { userName: "  " }))).code).toBe("invalidValue");
    expect((await rejection(insertResource(temp.store, "t1", "Group", {}))).code).toBe("invalidValue");
  });

  it("gives exactly one success when the same userName is created concurrently", async () => {
    const attempts = Array.from({ length: 12 }, (_, i) => insertResource(temp.store, "t1", "User", { userName: i % 2 ? "Dup" : "dup" }));
    const outcomes = await Promise.allSettled(attempts);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(failures).toHaveLength(11);
    for (const failure of failures) expect((failure.reason as ScimError).code).toBe("uniqueness");
  });

  it("keeps the password hash out of the record but stores it", async () => {
    const record = await temp.store.write((s) => s.resources.insert({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "p" }, created: "2026-01-01T00:00:00.000Z", passwordHash: "scrypt$hash" }));
    expect(JSON.stringify(record)).not.toContain("scrypt$hash");
    expect(await temp.raw(sql`select password_hash from users where id = ${"u1"}`)).toEqual([{ password_hash: "scrypt$hash" }]);
  });
});

describe("update", () => {
  it("replaces attributes, bumps the version and lastModified, keeps created", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a", title: "old" }, "u1", "2026-01-01T00:00:00.000Z");
    const updated = await temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "b" }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: 1 }));
    expect(updated).toEqual({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "b" }, created: "2026-01-01T00:00:00.000Z", lastModified: "2026-02-01T00:00:00.000Z", version: 2 });
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "u1"))).toEqual(updated);
  });

  it("returns preconditionFailed when the version moved and changes nothing", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "G" }, "g1");
    const error = await rejection(temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "g1", type: "Group", attributes: { displayName: "H" }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: 7 })));
    expect(error.code).toBe("preconditionFailed");
    expect(error.status).toBe(412);
    expect((await temp.store.read((s) => s.resources.get("Group", "t1", "g1")))?.attributes).toEqual({ displayName: "G" });
  });

  it("returns notFound for an unknown id and for another tenant's id", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a" }, "u1");
    const update = (tenantId: string, id: string) => temp.store.write((s) => s.resources.update({ tenantId, id, type: "User", attributes: { userName: "z" }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: 1 }));
    expect((await rejection(update("t1", "nope"))).code).toBe("notFound");
    expect((await rejection(update("t2", "u1"))).code).toBe("notFound");
    expect((await temp.store.read((s) => s.resources.get("User", "t1", "u1")))?.attributes).toEqual({ userName: "a" });
  });

  it("returns uniqueness when renamed to a taken name, and allows a case-only rename of itself", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "taken" }, "u1");
    await insertResource(temp.store, "t1", "User", { userName: "mine" }, "u2");
    const rename = (userName: string, expectedVersion: number) => temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "u2", type: "User", attributes: { userName }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion }));
    expect((await rejection(rename("TAKEN", 1))).code).toBe("uniqueness");
    await expect(rename("MINE", 1)).resolves.toMatchObject({ version: 2, attributes: { userName: "MINE" } });
  });

  it("keeps the stored password hash when passwordHash is undefined and clears it when null", async () => {
    await temp.store.write((s) => s.resources.insert({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "p" }, created: "2026-01-01T00:00:00.000Z", passwordHash: "h1" }));
    const update = (expectedVersion: number, passwordHash?: string | null) =>
      temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "p" }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion, ...(passwordHash === undefined ? {} : { passwordHash }) }));
    await update(1);
    expect(await temp.raw(sql`select password_hash from users`)).toEqual([{ password_hash: "h1" }]);
    await update(2, "h2");
    expect(await temp.raw(sql`select password_hash from users`)).toEqual([{ password_hash: "h2" }]);
    await update(3, null);
    expect(await temp.raw(sql`select password_hash from users`)).toEqual([{ password_hash: null }]);
  });

  it("replaces the email rows with the new elements", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a", emails: [{ value: "Old@X.example", type: "work" }, { value: "b@x.example" }] }, "u1");
    await temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "a", emails: [{ value: "New@X.example", type: "Home", primary: true }] }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: 1 }));
    expect(await temp.raw(sql`select tenant_id, user_id, position, value, value_key, type_key, is_primary from user_emails`)).toEqual([
      { tenant_id: "t1", user_id: "u1", position: 0, value: "New@X.example", value_key: "new@x.example", type_key: "home", is_primary: stored(true) },
    ]);
  });
});

describe("touch", () => {
  it("bumps version and lastModified without changing attributes", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "G" }, "g1", "2026-01-01T00:00:00.000Z");
    const touched = await temp.store.write((s) => s.resources.touch("Group", "t1", "g1", "2026-05-05T05:05:05.555Z"));
    expect(touched).toEqual({ tenantId: "t1", id: "g1", type: "Group", attributes: { displayName: "G" }, created: "2026-01-01T00:00:00.000Z", lastModified: "2026-05-05T05:05:05.555Z", version: 2 });
  });

  it("returns undefined for an unknown id or another tenant's id", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "G" }, "g1");
    expect(await temp.store.write((s) => s.resources.touch("Group", "t2", "g1", "2026-05-05T05:05:05.555Z"))).toBeUndefined();
    expect(await temp.store.write((s) => s.resources.touch("Group", "t1", "g9", "2026-05-05T05:05:05.555Z"))).toBeUndefined();
  });
});

describe("delete", () => {
  it("deletes the resource and reports whether it existed", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a", emails: [{ value: "a@x.example" }] }, "u1");
    expect(await temp.store.write((s) => s.resources.delete("User", "t1", "u1"))).toBe(true);
    expect(await temp.store.write((s) => s.resources.delete("User", "t1", "u1"))).toBe(false);
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "u1"))).toBeUndefined();
    expect(await temp.raw(sql`select * from user_emails`)).toEqual([]);
  });

  it("frees the userName for reuse (ENT-38)", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "again" }, "u1");
    await temp.store.write((s) => s.resources.delete("User", "t1", "u1"));
    await expect(insertResource(temp.store, "t1", "User", { userName: "AGAIN" }, "u2")).resolves.toMatchObject({ id: "u2" });
  });

  it("does not delete another tenant's resource with that id", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a" }, "same");
    await insertResource(temp.store, "t2", "User", { userName: "a" }, "same");
    expect(await temp.store.write((s) => s.resources.delete("User", "t2", "same"))).toBe(true);
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "same"))).toBeDefined();
  });

  it("removes membership rows naming a deleted user and those of a deleted group", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a" }, "u1");
    await insertResource(temp.store, "t1", "User", { userName: "b" }, "u2");
    await insertResource(temp.store, "t1", "Group", { displayName: "inner" }, "g1");
    await insertResource(temp.store, "t1", "Group", { displayName: "outer" }, "g2");
    await temp.store.write(async (s) => {
      await s.resources.addMembers("t1", "g1", [{ value: "u1", type: "User" }, { value: "u2", type: "User" }]);
      await s.resources.addMembers("t1", "g2", [{ value: "u1", type: "User" }, { value: "g1", type: "Group" }]);
    });
    await temp.store.write((s) => s.resources.delete("User", "t1", "u1"));
    expect(await temp.raw(sql`select group_id, member_id from group_members order by group_id, member_id`)).toEqual([
      { group_id: "g1", member_id: "u2" },
      { group_id: "g2", member_id: "g1" },
    ]);
    await temp.store.write((s) => s.resources.delete("Group", "t1", "g1"));
    expect(await temp.raw(sql`select group_id, member_id from group_members`)).toEqual([]);
  });
});

describe("transactions", () => {
  it("rolls back every change when the work throws", async () => {
    const failing = temp.store.write(async (s) => {
      await s.resources.insert({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "a" }, created: "2026-01-01T00:00:00.000Z" });
      await s.settings.setIfAbsent("k", "v");
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "u1"))).toBeUndefined();
    expect(await temp.store.read((s) => s.settings.get("k"))).toBeUndefined();
  });

  it("lets a read see only committed data", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writing = temp.store.write(async (s) => {
      await s.resources.insert({ tenantId: "t1", id: "u1", type: "User", attributes: { userName: "a" }, created: "2026-01-01T00:00:00.000Z" });
      await gate;
    });
    // Reads run on their own connection (SQLite's reader, a pooled PostgreSQL connection), so this read does not wait for the write.
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "u1"))).toBeUndefined();
    release();
    await writing;
    expect(await temp.store.read((s) => s.resources.get("User", "t1", "u1"))).toBeDefined();
  });

  it("refuses work after close", async () => {
    await temp.store.close();
    await expect(temp.store.read(async () => 1)).rejects.toThrow("the store is closed");
    await expect(temp.store.write(async () => 1)).rejects.toThrow("the store is closed");
  });
});
