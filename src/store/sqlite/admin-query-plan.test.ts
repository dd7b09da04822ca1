import type BetterSqlite3 from "better-sqlite3";
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../scim/schema/registry.js";
import type { Database } from "../schema.js";
import { activityStatements, SqlActivityRepository } from "../sql/activity-repository.js";
import { auditMatching, auditPageStatement, SqlAuditRepository } from "../sql/audit-repository.js";
import { listStatements } from "../sql/list-resources.js";
import { SqlMembership } from "../sql/membership.js";
import type { AuditFilter, ListQuery } from "../store.js";
import { createTenants, openTempSqliteStore, type TempSqliteStore } from "../testing/temp-store.js";
import { openSqliteConnection } from "./open-sqlite-store.js";
import { sqliteDialect } from "./sqlite-dialect.js";

/*
 * The console's queries must stay index searches at a million users, a 100,000-member group and
 * months of activity: the search box, member pages and counts, and the Activity page. These tests read
 * SQLite's plan for the exact SQL the store runs, before and after ANALYZE.
 */

const logged: CompiledQuery[] = [];
const compiler = new Kysely<Database>({
  dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() },
  log: (event) => void logged.push(event.query),
});

let temp: TempSqliteStore;
let raw: BetterSqlite3.Database;
beforeAll(async () => {
  temp = await openTempSqliteStore();
  await createTenants(temp.store, "t1", "t2");
  await temp.store.write(async (s) => {
    for (const tenantId of ["t1", "t2"]) {
      for (let i = 0; i < 300; i++) {
        await s.resources.insert({ tenantId, id: `u${String(i).padStart(4, "0")}`, type: "User", attributes: { userName: `user${i}@x.example`, name: { givenName: `Given${i % 7}`, familyName: `Family${i % 11}` } }, created: "2026-01-01T00:00:00.000Z" });
      }
      await s.resources.insert({ tenantId, id: "g1", type: "Group", attributes: { displayName: "Everyone" }, created: "2026-01-01T00:00:00.000Z" });
      await s.resources.addMembers(tenantId, "g1", Array.from({ length: 300 }, (_, i) => ({ value: `u${String(i).padStart(4, "0")}`, type: "User" as const })));
      await s.activity.append(
        Array.from({ length: 500 }, (_, i) => ({ tenantId, id: `a${String(i).padStart(5, "0")}`, at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), tokenId: `k${i % 3}`, clientName: "IdP", method: "GET", path: "/Users", resource: i % 2 ? ("Users" as const) : ("Groups" as const), status: 200, outcome: i % 9 ? ("success" as const) : ("failure" as const), errorCode: null, errorDetail: null, durationMs: 1, requestId: "r" })),
      );
    }
  });
  await temp.store.write(async (s) => {
    for (let i = 0; i < 2000; i++) {
      await s.audit.append({
        id: `e${String(i).padStart(5, "0")}`,
        occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        actorKind: i % 5 ? "admin" : "cli",
        actorId: `a${i % 7}`,
        actorLabel: `user${i % 7}@x.example`,
        address: null,
        userAgent: null,
        action: ["tenant.created", "tenant.renamed", "session.sign_in", "scim_token.created"][i % 4]!,
        targetKind: "tenant",
        targetId: null,
        targetLabel: `target ${i % 13}`,
        tenantId: null,
        tenantSlug: `slug${i % 11}`,
        outcome: i % 9 ? "success" : "failure",
        reason: null,
        details: {},
      });
    }
  });
  raw = openSqliteConnection(temp.file, { busyTimeoutMs: 1000, statementCacheSize: 0 }, "writer");
});
afterAll(async () => {
  raw.close();
  await temp.dispose();
});

function plan(query: CompiledQuery): string {
  return raw
    .prepare(`explain query plan ${query.sql}`)
    .all(...query.parameters)
    .map((row) => (row as { detail: string }).detail)
    .join("\n");
}

const userName = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("userName")! };

/** The plans of one list request's count and rows statements. */
function listPlans(query: ListQuery): { count: string; rows: string } {
  const statements = listStatements(compiler, sqliteDialect, "User", "t1", query);
  return { count: plan(statements.count.compile()), rows: plan(statements.rows!.compile()) };
}

/** The plans of the statements a repository call runs (the compile-only driver returns no rows). */
async function plansOf(run: () => Promise<unknown>): Promise<string[]> {
  logged.length = 0;
  await run().catch(() => undefined);
  return logged.map(plan);
}

describe.each([false, true])("console query plans (after ANALYZE: %s)", (analyzed) => {
  beforeAll(() => {
    if (analyzed) raw.exec("analyze");
  });

  it("searches words as ranges of the search_terms key, never scanning users", () => {
    for (const query of [{ search: ["given3"], page: { kind: "cursor" as const, count: 50 } }, { search: ["given3", "family"], sort: { attr: userName, descending: false }, page: { kind: "cursor" as const, count: 50 } }]) {
      const plans = listPlans(query);
      for (const text of [plans.count, plans.rows]) {
        expect(text).toMatch(/SEARCH t0 USING (COVERING INDEX|PRIMARY KEY) \S*\s*\(tenant_id=\? AND resource_type=\? AND term_key>\? AND term_key<\?\)/);
        expect(text).not.toMatch(/SCAN (r|t0)\b/);
      }
    }
  });

  it("probes a broad search along the order's index, and finds the same rows as the IN form", () => {
    const lastModified = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("meta")!, subAttribute: registry.forType("User").coreAttribute("meta")!.subAttributes!.find((sub) => sub.name === "lastModified")! };
    for (const sort of [{ attr: lastModified, descending: true }, { attr: userName, descending: false }]) {
      for (const search of [["given3"], ["family1", "given"], ["user2"]]) {
        const query: ListQuery = { search, sort, page: { kind: "cursor", count: 20 } };
        const run = (form: "in" | "probe") => {
          const compiled = listStatements(compiler, sqliteDialect, "User", "t1", query, form).rows!.compile();
          return { plan: plan(compiled), ids: raw.prepare(compiled.sql).all(...compiled.parameters).map((row) => (row as { id: string }).id) };
        };
        const probe = run("probe");
        expect(probe.ids).toEqual(run("in").ids);
        expect(probe.ids.length).toBeGreaterThan(0);
        expect(probe.plan).toMatch(/SEARCH r USING (COVERING )?INDEX (users_last_modified_at|sqlite_autoindex_users_\d) \(tenant_id=\?\)/);
        // Each word probes the row's own terms; which word goes first, and whether both bounds of its range are used, is the planner's choice.
        for (const [index] of search.entries()) {
          expect(probe.plan).toMatch(new RegExp(`SEARCH t${index} EXISTS USING COVERING INDEX search_terms_resource \\(tenant_id=\\? AND resource_id=\\? AND resource_type=\\? AND term_key[<>]\\?`));
        }
        expect(probe.plan).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it("pages members and counts them from the membership key", async () => {
    const membership = new SqlMembership(compiler, sqliteDialect);
    const [page] = await plansOf(() => membership.pageMembers("t1", "g1", { after: "u0100", count: 51 }));
    expect(page).toMatch(/SEARCH m USING PRIMARY KEY \(tenant_id=\? AND group_id=\? AND member_id>\?\)/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    const [counts] = await plansOf(() => membership.countMembersOf("t1", ["g1", "g2"]));
    expect(counts).toMatch(/SEARCH group_members USING (COVERING INDEX \S+|PRIMARY KEY) \(tenant_id=\? AND group_id=\?\)/);
    expect(counts).not.toMatch(/SCAN group_members/);
  });

  it("pages activity newest first from an index, with and without filters, and counts the last day from (tenant_id, at)", async () => {
    const activity = new SqlActivityRepository(compiler, sqliteDialect);
    const page = (filter: Parameters<typeof activityStatements>[2], before?: string) => {
      const statements = activityStatements(compiler, "t1", filter, { count: 50, ...(before ? { before } : {}) });
      return { count: plan(statements.count.compile()), rows: plan(statements.rows.compile()) };
    };
    const all = page({}, "a00400");
    expect(all.count).toMatch(/SEARCH activity USING COVERING INDEX \S+ \(tenant_id=\?\)/);
    expect(all.rows).toMatch(/SEARCH activity USING INDEX sqlite_autoindex_activity_1 \(tenant_id=\? AND id<\?\)/);
    const failures = page({ outcome: "failure" });
    expect(failures.rows).toMatch(/SEARCH activity USING INDEX activity_outcome \(tenant_id=\? AND outcome=\?\)/);
    expect(failures.count).toMatch(/SEARCH activity USING COVERING INDEX activity_outcome \(tenant_id=\? AND outcome=\?\)/);
    expect(page({ tokenId: "k1" }).rows).toMatch(/SEARCH activity USING INDEX activity_token_id \(tenant_id=\? AND token_id=\?\)/);
    expect(page({ resource: "Groups" }, "a00400").rows).toMatch(/SEARCH activity USING INDEX activity_resource \(tenant_id=\? AND resource=\? AND id<\?\)/);
    for (const rows of [all.rows, failures.rows]) expect(rows).not.toMatch(/TEMP B-TREE/);
    const [since] = await plansOf(() => activity.countSince("t1", "2026-01-01T05:00:00.000Z"));
    expect(since).toMatch(/SEARCH activity USING COVERING INDEX activity_at \(tenant_id=\? AND at>\?\)/);
    const [prune] = await plansOf(() => activity.prune("t1", "2026-01-01T05:00:00.000Z", 100));
    expect(prune).toMatch(/SEARCH activity USING (COVERING )?INDEX activity_at \(tenant_id=\? AND at<\?\)/);
  });

  it("pages and counts the audit log from an index for every filter, and prunes by occurred_at", async () => {
    const since = "2026-01-01T10:00:00.000Z";
    const cases: [AuditFilter, RegExp][] = [
      [{}, /audit_events USING INDEX sqlite_autoindex_audit_events_1/],
      [{ action: "tenant.created" }, /SEARCH audit_events USING INDEX audit_events_action \(action=\?/],
      [{ actionPrefix: "tenant." }, /audit_events USING INDEX (audit_events_action \(action>\? AND action<\?\)|sqlite_autoindex_audit_events_1)/],
      [{ outcome: "failure" }, /SEARCH audit_events USING INDEX audit_events_outcome \(outcome=\?/],
      [{ actorKind: "cli" }, /SEARCH audit_events USING INDEX audit_events_actor_kind \(actor_kind=\?/],
      [{ actorId: "a1" }, /SEARCH audit_events USING INDEX audit_events_actor_id \(actor_id=\?/],
      [{ actorLabel: "user1" }, /audit_events USING INDEX (audit_events_actor_label_key \(actor_label_key>\? AND actor_label_key<\?\)|sqlite_autoindex_audit_events_1)/],
      [{ tenantSlug: "slug3", action: "tenant.created" }, /SEARCH audit_events USING INDEX audit_events_(tenant_slug \(tenant_slug|action \(action)=\?/],
      [{ since }, /audit_events USING INDEX sqlite_autoindex_audit_events_1/],
      [{ since, until: "2026-01-01T12:00:00.000Z" }, /audit_events USING INDEX (audit_events_occurred_at \(occurred_at>\? AND occurred_at<\?\)|sqlite_autoindex_audit_events_1)/],
      [{ text: "slug3" }, /MULTI-INDEX OR.*audit_events_actor_label_key.*audit_events_target_label_key.*audit_events_tenant_slug/s],
    ];
    for (const [filter, expected] of cases) {
      for (const before of [undefined, "e01000"]) {
        const rows = plan(auditPageStatement(compiler, sqliteDialect, filter, { count: 50, ...(before ? { before } : {}) }).compile());
        const count = plan(auditMatching(compiler, sqliteDialect, filter).select((eb) => eb.fn.countAll().as("n")).compile());
        expect(rows, JSON.stringify(filter)).toMatch(before ? /audit_events USING INDEX \S+ \(.*(id<\?|[<>=]\?)/ : expected);
        for (const text of [rows, count]) expect(text, JSON.stringify(filter)).not.toMatch(/SCAN audit_events$|SCAN audit_events\n/m);
        expect(count, JSON.stringify(filter)).toMatch(/audit_events USING (COVERING )?INDEX/);
      }
    }
    const [prune] = await plansOf(() => new SqlAuditRepository(compiler, sqliteDialect).prune("2026-01-01T05:00:00.000Z", 100));
    expect(prune, prune).toMatch(/SEARCH audit_events USING COVERING INDEX audit_events_occurred_at \(occurred_at<\?\)/);
  });
});
