import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEventRecord, AuditFilter } from "../store.js";
import { awkwardText } from "../testing/installation.js";
import { createTenants, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

/** An event at minute `minute` of 2026-03-01; ids sort as the minutes do, like newId()s. */
function event(minute: number, extra: Partial<AuditEventRecord> = {}): AuditEventRecord {
  return {
    id: `e-${String(minute).padStart(4, "0")}`,
    occurredAt: new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString(),
    actorKind: "admin",
    actorId: "admin-1",
    actorLabel: "Al@Example.com",
    address: "10.0.0.1",
    userAgent: "Mozilla/5.0",
    action: "tenant.created",
    targetKind: "tenant",
    targetId: "t1",
    targetLabel: "acme",
    tenantId: "t1",
    tenantSlug: "acme",
    outcome: "success",
    reason: null,
    details: { name: "Acme" },
    ...extra,
  };
}

const append = (...events: AuditEventRecord[]) =>
  temp.store.write(async (s) => {
    for (const one of events) await s.audit.append(one);
  });
const ids = async (filter: AuditFilter, count = 100) => (await temp.store.read((s) => s.audit.list(filter, { count }))).records.map((r) => r.id);
const count = (filter: AuditFilter) => temp.store.read((s) => s.audit.count(filter));

describe("append", () => {
  it("stores every field and reads it back unchanged, awkward text and nested details included", async () => {
    const failed = event(1, {
      actorKind: "anonymous",
      actorId: null,
      actorLabel: null,
      address: "2001:db8::1",
      userAgent: awkwardText,
      action: "session.sign_in",
      targetKind: null,
      targetId: null,
      targetLabel: null,
      tenantId: null,
      tenantSlug: null,
      outcome: "failure",
      reason: `unknown account ${awkwardText}`,
      details: { nested: { list: [1, 2.5, null, true, awkwardText] } },
    });
    await append(failed, event(2));
    expect((await temp.store.read((s) => s.audit.list({}, { count: 10 }))).records).toEqual([event(2), failed]);
  });

  it("keeps nothing when the transaction that wrote the event rolls back", async () => {
    const failing = temp.store.write(async (s) => {
      await s.audit.append(event(1));
      throw new Error("the action failed after all");
    });
    await expect(failing).rejects.toThrow("the action failed after all");
    expect(await count({})).toBe(0);
  });
});

describe("list", () => {
  beforeEach(async () => {
    const events: AuditEventRecord[] = [];
    for (let minute = 0; minute < 30; minute++) {
      const byCli = minute % 3 === 0;
      events.push(
        event(minute, {
          action: ["tenant.created", "tenant.renamed", "scim_token.created", "session.sign_in", "tenant.deleted"][minute % 5]!,
          outcome: minute % 4 === 0 ? "failure" : "success",
          ...(byCli ? { actorKind: "cli" as const, actorId: null, actorLabel: "root" } : {}),
          ...(minute % 2 === 0 ? { tenantSlug: "beta", tenantId: "t2", targetLabel: "Beta Corp" } : {}),
        }),
      );
    }
    await append(...events);
  });

  it("pages newest first with a cursor until the last page, and has no cursor on the last", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await temp.store.read((s) => s.audit.list({}, { count: 7, ...(before ? { before } : {}) }));
      seen.push(...page.records.map((r) => r.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `e-${String(29 - i).padStart(4, "0")}`));
    expect((await temp.store.read((s) => s.audit.list({}, { count: 30 }))).next).toBeUndefined();
  });

  it("filters by action, action prefix, outcome and actor kind, together and apart, and counts the same events", async () => {
    expect(await ids({ action: "tenant.renamed" })).toEqual(["e-0026", "e-0021", "e-0016", "e-0011", "e-0006", "e-0001"]);
    expect(await count({ actionPrefix: "tenant." })).toBe(18);
    expect(await count({ actionPrefix: "tenant" })).toBe(18);
    expect(await count({ actionPrefix: "scim_token." })).toBe(6);
    expect(await count({ outcome: "failure" })).toBe(8);
    expect(await count({ actorKind: "cli" })).toBe(10);
    expect(await ids({ action: "tenant.created", outcome: "failure", actorKind: "cli" })).toEqual(["e-0000"]);
    expect(await ids({ action: "app.created" })).toEqual([]);
  });

  it("filters by actor id, by the start of the actor's label whatever its case, and by tenant slug", async () => {
    expect(await count({ actorId: "admin-1" })).toBe(20);
    expect(await count({ actorLabel: "al@" })).toBe(20);
    expect(await count({ actorLabel: "AL@EXAMPLE.COM" })).toBe(20);
    expect(await count({ actorLabel: "example" })).toBe(0);
    expect(await count({ actorLabel: "ro" })).toBe(10);
    expect(await count({ tenantSlug: "beta" })).toBe(15);
    expect(await count({ tenantSlug: "bet" })).toBe(0);
  });

  it("filters by a time range: since inclusive, until exclusive", async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();
    expect(await ids({ since: at(27) })).toEqual(["e-0029", "e-0028", "e-0027"]);
    expect(await ids({ until: at(2) })).toEqual(["e-0001", "e-0000"]);
    expect(await ids({ since: at(10), until: at(12) })).toEqual(["e-0011", "e-0010"]);
    expect(await count({ since: at(10), until: at(10) })).toBe(0);
  });

  it("finds free text at the start of the actor's label, the target's label or the tenant slug", async () => {
    expect(await count({ text: "beta" })).toBe(15);
    expect(await count({ text: "ROOT" })).toBe(10);
    expect(await count({ text: "acme" })).toBe(15);
    expect(await count({ text: "corp" })).toBe(0);
    expect(await ids({ text: "root", tenantSlug: "beta", outcome: "failure" })).toEqual(["e-0024", "e-0012", "e-0000"]);
  });

  it("pages a filtered list with the same cursor rules", async () => {
    const first = await temp.store.read((s) => s.audit.list({ actionPrefix: "tenant." }, { count: 10 }));
    expect(first.records).toHaveLength(10);
    const second = await temp.store.read((s) => s.audit.list({ actionPrefix: "tenant." }, { count: 10, before: first.next! }));
    expect(second.records).toHaveLength(8);
    expect(second.next).toBeUndefined();
    expect(new Set([...first.records, ...second.records].map((r) => r.id)).size).toBe(18);
  });
});

describe("prune", () => {
  it("deletes at most `limit` events older than the cutoff, oldest first", async () => {
    await append(...Array.from({ length: 10 }, (_, minute) => event(minute)));
    const cutoff = new Date(Date.UTC(2026, 2, 1, 0, 6)).toISOString();
    expect(await temp.store.write((s) => s.audit.prune(cutoff, 4))).toBe(4);
    expect((await ids({})).slice(-2)).toEqual(["e-0005", "e-0004"]);
    expect(await temp.store.write((s) => s.audit.prune(cutoff, 4))).toBe(2);
    expect(await temp.store.write((s) => s.audit.prune(cutoff, 4))).toBe(0);
    expect(await count({})).toBe(4);
  });
});

describe("with tenants", () => {
  it("keeps a tenant's events when the tenant is deleted", async () => {
    await createTenants(temp.store, "t1");
    await append(event(1, { tenantId: "t1", tenantSlug: "t1" }));
    await temp.store.write(async (s) => {
      expect(await s.tenants.delete("t1")).toBe(true);
      await s.audit.append(event(2, { action: "tenant.deleted", tenantId: "t1", tenantSlug: "t1" }));
    });
    expect(await ids({ tenantSlug: "t1" })).toEqual(["e-0002", "e-0001"]);
  });
});
