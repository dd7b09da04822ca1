import { expect } from "vitest";
import { transferTable } from "../sql/transfer-tables.js";
import type { Store, TransferRow } from "../store.js";

/** Text that stresses every encoding step: astral and combining characters, bidi controls, quotes, escapes, control characters. */
export const awkwardText = "Zoë 𝔘ñí\u0301cødé 🧑‍💻 \u202eRTL\u202c 'single' \"double\" \\back\\slash\ttab\nnewline \u0001\u001f end";

/**
 * Fills a store with a small installation touching every table, with awkward values everywhere:
 * `tenants` tenants each with `users` users (emails, some inactive, passwords), two groups with
 * members, tokens (used, revoked), activity, an outbound app with its rows, settings, admins, setup links, a session, login
 * failures and audit events.
 */
export async function fillInstallation(store: Store, sizes: { tenants?: number; users?: number } = {}): Promise<void> {
  const tenantCount = sizes.tenants ?? 2;
  const userCount = sizes.users ?? 12;
  await store.write(async (s) => {
    await s.settings.setIfAbsent("cursor_key", "00ff".repeat(16));
    await s.settings.setIfAbsent("odd setting", awkwardText);
    await s.admins.create({ id: "admin-1", email: "Root@Example.com", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$abc$def", created: "2026-01-01T00:00:00.000Z" });
    await s.admins.create({ id: "admin-2", email: `zoë+${"x".repeat(40)}@example.org`, passwordHash: "$argon2id$x", created: "2026-01-02T00:00:00.001Z", passwordChanged: "2026-03-04T05:06:07.890Z" });
    await s.setupLinks.create({ id: "link-used", email: null, created: "2026-01-01T00:00:00.000Z", expires: "2026-01-02T00:00:00.000Z" });
    await s.setupLinks.markUsed("link-used", "admin-1", "2026-01-01T00:10:00.000Z");
    await s.setupLinks.create({ id: "link-open", email: "new@example.com", created: "2026-05-01T00:00:00.000Z", expires: "2026-05-02T00:00:00.000Z" });
    await s.adminSessions.create({ id: "session-1", adminId: "admin-1", csrfToken: "csrf", created: "2026-01-01T00:00:00.000Z", lastSeen: "2026-01-01T00:00:00.000Z", expires: "2026-01-01T12:00:00.000Z", absoluteExpires: "2026-01-08T00:00:00.000Z" });
    await s.loginFailures.record(["email:x", "address:127.0.0.1"], "2026-01-01T00:00:00.000Z");
    await s.audit.append({ id: "audit-1", occurredAt: "2026-01-01T00:10:00.000Z", actorKind: "anonymous", actorId: null, actorLabel: null, address: "::1", userAgent: awkwardText, action: "session.sign_in", targetKind: null, targetId: null, targetLabel: null, tenantId: null, tenantSlug: null, outcome: "failure", reason: "unknown account", details: {} });
    await s.audit.append({ id: "audit-2", occurredAt: "2026-01-01T00:11:00.000Z", actorKind: "admin", actorId: "admin-1", actorLabel: "Root@Example.com", address: "10.0.0.1", userAgent: null, action: "tenant.renamed", targetKind: "tenant", targetId: "tenant-0", targetLabel: "slug-0", tenantId: "tenant-0", tenantSlug: "slug-0", outcome: "success", reason: null, details: { oldName: awkwardText, newName: "Acme", nested: [1, 2.5, null, true] } });
  });
  for (let t = 0; t < tenantCount; t++) {
    const tenantId = `tenant-${t}`;
    await store.write(async (s) => {
      await s.tenants.create({ id: tenantId, slug: `slug-${t}`, name: `${awkwardText} ${t}`, created: "2026-01-01T00:00:00.000Z" });
      await s.tokens.create({ id: `${tenantId}-token-a`, tenantId, clientName: awkwardText, hint: "abcd", secretHash: "ab".repeat(32), created: "2026-01-01T00:00:00.000Z", lastUsed: "2026-02-02T02:02:02.222Z" });
      await s.tokens.create({ id: `${tenantId}-token-b`, tenantId, clientName: "Okta", hint: "wxyz", secretHash: "cd".repeat(32), created: "2026-01-01T00:00:00.000Z", revoked: "2026-03-03T03:03:03.333Z" });
      const members: { value: string; type: "User" | "Group" }[] = [];
      for (let u = 0; u < userCount; u++) {
        const id = `${tenantId}-user-${String(u).padStart(3, "0")}`;
        // A dozen emails on one user, so positions 10 and 11 test numeric (not text) key order.
        const emails = Array.from({ length: u === 0 ? 12 : 2 }, (_, e) => ({ value: `u${u}.e${e}@Example.COM`, type: e === 0 ? "work" : "home", primary: e === 0 }));
        await s.resources.insert({
          tenantId,
          id,
          type: "User",
          created: `2026-01-02T03:04:05.${String(u % 1000).padStart(3, "0")}Z`,
          attributes: {
            userName: `${awkwardText} user ${u}`,
            externalId: u % 3 === 0 ? `ext-${u}` : "",
            active: u % 4 === 0 ? false : u % 4 === 1 ? true : null,
            displayName: `Ünïcode ${u} 𝔘`,
            name: { givenName: "Zoë", familyName: `O'Brien "${u}"`, formatted: awkwardText },
            emails,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber: String(u), manager: { value: "boss" }, costCenter: 1.5 },
            nested: { deep: [1, 2.25, -3e-7, true, false, null, { k: "v" }] },
          },
          ...(u % 2 === 0 ? { passwordHash: "$argon2id$secret" } : {}),
        });
        if (u % 2 === 0) members.push({ value: id, type: "User" });
      }
      await s.resources.insert({ tenantId, id: `${tenantId}-group-a`, type: "Group", created: "2026-01-03T00:00:00.000Z", attributes: { displayName: `Sales and Marketing ${awkwardText}`, externalId: "g-a" } });
      await s.resources.insert({ tenantId, id: `${tenantId}-group-b`, type: "Group", created: "2026-01-03T00:00:00.001Z", attributes: { displayName: "Empty 🧑‍💻" } });
      await s.resources.addMembers(tenantId, `${tenantId}-group-a`, [...members, { value: `${tenantId}-group-b`, type: "Group" }]);
      await s.activity.append(
        Array.from({ length: 5 }, (_, i) => ({
          tenantId,
          id: `${tenantId}-activity-${i}`,
          at: `2026-04-0${i + 1}T00:00:00.${i}00Z`,
          tokenId: i === 0 ? null : `${tenantId}-token-a`,
          clientName: i === 0 ? null : awkwardText,
          method: "PATCH",
          path: `/Users/${i}`,
          resource: "Users" as const,
          status: i === 4 ? 409 : 200,
          outcome: i === 4 ? ("failure" as const) : ("success" as const),
          errorCode: i === 4 ? "uniqueness" : null,
          errorDetail: i === 4 ? `userName "${awkwardText}" is already taken.` : null,
          durationMs: [0, 0.1, 2.5, 1234.5, 98765.4][i]!,
          requestId: `req-${i}`,
        })),
      );
      // An outbound app with a link, a membership, a log entry and a staged action.
      const appId = `${tenantId}-app`;
      const at = "2026-05-01T00:00:00.000Z";
      const userId = `${tenantId}-user-000`;
      await s.outbound.createApp({ tenantId, id: appId, name: awkwardText, baseUrl: "https://target.example/scim/v2", tokenCiphertext: "v1:key:iv:tag:ciphertext", tokenHint: "…wxyz", settings: { scope: { kind: "all" }, note: awkwardText }, provisioning: "on", state: { counts: { created: 3 } }, created: at, updated: at });
      await s.outbound.putLink({ tenantId, appId, resourceType: "User", sourceId: userId, targetId: "t-1", origin: "adopted", status: "synced", written: { userName: awkwardText, active: false }, writtenHash: "ab".repeat(32), lastError: null, attempts: 0, nextRetryAt: null, updated: at });
      await s.outbound.putLink({ tenantId, appId, resourceType: "Group", sourceId: `${tenantId}-group-a`, targetId: null, origin: null, status: "failed", written: null, writtenHash: null, lastError: awkwardText, attempts: 3, nextRetryAt: "2026-05-01T06:00:00.000Z", updated: at });
      await s.outbound.addMemberships(tenantId, appId, `${tenantId}-group-a`, [userId]);
      await s.outbound.appendLog([{ tenantId, appId, id: `${appId}-log-1`, at, cycle: "initial-1", resourceType: "User", sourceId: userId, targetId: "t-1", action: "adopt", status: "success", details: { modified: [{ attribute: "active", old: true, new: false }] }, error: null, fix: null }]);
      await s.outbound.stage([{ tenantId, appId, id: `${appId}-staged-1`, resourceType: "User", sourceId: userId, action: "delete", reason: "too many deletions", created: at }]);
    });
  }
}

/** Every row of every transferred table, by table, in key order (read with a small batch to exercise paging). */
export async function dumpTables(store: Store, batchSize = 7): Promise<Map<string, TransferRow[]>> {
  return store.read(async (s) => {
    const tables = new Map<string, TransferRow[]>();
    for (const table of s.transfer.tables()) {
      const rows: TransferRow[] = [];
      for (let after: TransferRow | undefined; ; ) {
        const batch = await s.transfer.readBatch(table, after, batchSize);
        rows.push(...batch);
        if (batch.length < batchSize) break;
        after = batch[batch.length - 1];
      }
      tables.set(table, rows);
    }
    return tables;
  });
}

/**
 * Asserts both dumps hold the same rows. JSON columns are compared as parsed documents: PostgreSQL's
 * jsonb keeps a document's meaning but not its key order or spacing; every other value must be identical.
 */
export function expectSameRows(actual: Map<string, TransferRow[]>, expected: Map<string, TransferRow[]>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [table, rows] of expected) {
    const kinds = transferTable(table).columns;
    const comparable = (row: TransferRow) =>
      Object.fromEntries(Object.entries(row).map(([column, value]) => [column, kinds[column] === "json" && typeof value === "string" ? JSON.parse(value) : value]));
    expect(actual.get(table)?.map(comparable), `rows of ${table}`).toEqual(rows.map(comparable));
  }
}
