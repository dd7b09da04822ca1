import { performance } from "node:perf_hooks";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import { parseListQuery } from "../../src/scim/list-request.js";
import { protocolLimits } from "../../src/scim/limits.js";
import { unwrap } from "../../src/scim/result.js";
import { registry } from "../../src/scim/schema/registry.js";
import type { Database } from "../../src/store/schema.js";
import { listStatements } from "../../src/store/sql/list-resources.js";
import { openSqliteConnection } from "../../src/store/sqlite/open-sqlite-store.js";
import { sqliteDialect } from "../../src/store/sqlite/sqlite-dialect.js";
import type { ListQuery } from "../../src/store/store.js";

/** A list request Muster's store runs as SQL, with its query plan and how long each statement took once. */
export interface ExplainedList {
  readonly label: string;
  readonly query: Record<string, string>;
  readonly statements: readonly { readonly role: "count" | "rows"; readonly sql: string; readonly plan: readonly string[]; readonly ms: number }[];
}

/** SQLite's EXPLAIN QUERY PLAN rows as indented lines. */
function planLines(rows: readonly { id: number; parent: number; detail: string }[]): string[] {
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, level);
    return `${"  ".repeat(level)}${row.detail}`;
  });
}

/**
 * Compiles list requests with Muster's own filter and list compilers (src/store/sql), then shows the
 * SQL, EXPLAIN QUERY PLAN and one timed execution of each statement on a read-only connection with
 * Muster's SQL functions: where a slow list spends its time, without HTTP around it.
 */
export async function explainLists(file: string, tenantSlug: string, requests: readonly { label: string; query: Record<string, string> }[]): Promise<ExplainedList[]> {
  const raw = openSqliteConnection(file, { busyTimeoutMs: 5000, statementCacheSize: 0 }, "reader");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const tenant = raw.prepare<[string], { id: string }>("select id from tenants where slug = ?").get(tenantSlug);
    if (!tenant) throw new Error(`no tenant "${tenantSlug}"`);
    const schema = registry.forType("User");
    return requests.map(({ label, query }) => {
      const request = unwrap(parseListQuery(schema, query, { defaultCount: protocolLimits.defaultPageSize, maxCount: protocolLimits.maxPageSize }));
      const paging = request.paging.kind === "index" ? request.paging : { kind: "cursor" as const, count: request.paging.count };
      const listQuery: ListQuery = { ...(request.filter ? { filter: request.filter } : {}), page: paging };
      const statements = listStatements(db, sqliteDialect, "User", tenant.id, listQuery);
      const compiled: { role: "count" | "rows"; query: CompiledQuery }[] = [{ role: "count", query: statements.count.compile() }];
      if (statements.rows) compiled.push({ role: "rows", query: statements.rows.compile() });
      return {
        label,
        query,
        statements: compiled.map(({ role, query: statement }) => {
          const parameters = statement.parameters as unknown[];
          const plan = planLines(raw.prepare(`explain query plan ${statement.sql}`).all(...parameters) as { id: number; parent: number; detail: string }[]);
          const started = performance.now();
          raw.prepare(statement.sql).all(...parameters);
          return { role, sql: statement.sql, plan, ms: performance.now() - started };
        }),
      };
    });
  } finally {
    await db.destroy();
  }
}
