import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store, StoreSession } from "../store/store.js";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { createAdmin } from "./admin-accounts.js";
import { adminError } from "./admin-error.js";
import { auditFailures, failureReason, isAudited, recordSuccess, systemActor, type AuditActor } from "./audit-trail.js";
import { createTenant } from "./tenants.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

const actor: AuditActor = { kind: "admin", id: "a1", label: "al@example.com", address: "10.0.0.1", userAgent: "Test" };
const events = async () => (await temp.store.read((s) => s.audit.list({}, { count: 100 }))).records;

/** The temp store, except that every write transaction fails after its work ran (as a failed COMMIT would), so it rolls back. */
function failingCommits(store: Store): Store {
  return {
    ...store,
    read: (work) => store.read(work),
    write: <T>(work: (session: StoreSession) => Promise<T>) =>
      store.write(async (session) => {
        await work(session);
        throw new Error("the commit failed");
      }),
  };
}

describe("atomicity", () => {
  it("keeps neither the action nor its event when the action's transaction rolls back", async () => {
    await expect(createTenant(failingCommits(temp.store), actor, "acme", "Acme")).rejects.toThrow("the commit failed");
    expect(await temp.store.read((s) => s.tenants.bySlug("acme"))).toBeUndefined();
    expect(await events()).toEqual([]);
  });

  it("writes the action and its event together when it commits", async () => {
    const tenant = await createTenant(temp.store, actor, "acme", "Acme");
    expect(await events()).toEqual([expect.objectContaining({ action: "tenant.created", outcome: "success", tenantId: tenant.id, targetId: tenant.id })]);
  });
});

describe("auditFailures", () => {
  it("records a refusal once in a transaction of its own and marks the error, so transports do not record it again", async () => {
    const refusal = adminError("conflict", "taken");
    const run = auditFailures(temp.store, { actor, action: "tenant.created", tenant: { id: null, slug: "x" } }, () => new Date("2026-01-01T00:00:00.000Z"), async () => {
      throw refusal;
    });
    await expect(run).rejects.toBe(refusal);
    expect(isAudited(refusal)).toBe(true);
    const nested = auditFailures(temp.store, { actor, action: "tenant.created" }, () => new Date(), async () => {
      throw refusal;
    });
    await expect(nested).rejects.toBe(refusal);
    expect(await events()).toEqual([expect.objectContaining({ action: "tenant.created", outcome: "failure", reason: "taken", tenantSlug: "x", tenantId: null, occurredAt: "2026-01-01T00:00:00.000Z" })]);
  });

  it("fails closed: when the failure cannot be recorded, that error is thrown", async () => {
    const refusal = adminError("invalid", "bad");
    await expect(auditFailures(failingCommits(temp.store), { actor, action: "tenant.created" }, () => new Date(), async () => Promise.reject(refusal))).rejects.toThrow("the commit failed");
  });

  it("names unexpected errors 'internal error' without their message, and never repeats a refused email", async () => {
    expect(failureReason(new Error("SQLITE_CORRUPT at /var/lib/muster/muster.db"))).toBe("internal error");
    await expect(createAdmin(temp.store, actor, "my secret passphrase", "whatever passphrase")).rejects.toMatchObject({ code: "invalid", field: "email" });
    const [event] = await events();
    expect(event).toMatchObject({ action: "admin.created", outcome: "failure", reason: "The email address is missing or malformed." });
    expect(JSON.stringify(event)).not.toContain("whatever passphrase");
    expect(JSON.stringify(event)).not.toContain("my secret passphrase");
  });
});

describe("bounds", () => {
  it("clips a long user agent and labels, and replaces oversized details with a note", async () => {
    const noisy: AuditActor = { ...actor, userAgent: "x".repeat(5000), label: "y".repeat(5000) };
    await temp.store.write((session) => recordSuccess(session, { actor: noisy, action: "audit.exported", details: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`key${i}`, "z".repeat(2000)])) }, new Date()));
    await temp.store.write((session) => recordSuccess(session, { actor: systemActor("test"), action: "audit.exported", details: { list: ["q".repeat(800), 1, null] } }, new Date()));
    const [small, big] = await events();
    expect(big!.userAgent).toHaveLength(256);
    expect(big!.actorLabel).toHaveLength(500);
    expect(big!.details).toEqual({ truncated: true });
    expect(small!.details).toEqual({ list: [`${"q".repeat(499)}…`, 1, null] });
  });
});
