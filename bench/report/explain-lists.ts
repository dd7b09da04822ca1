import { Kysely, SqliteDialect, type LogEvent } from "kysely";
import { parseListQuery } from "../../src/scim/list-request.js";
import { protocolLimits } from "../../src/scim/limits.js";
import { unwrap } from "../../src/scim/result.js";
import { registry } from "../../src/scim/schema/registry.js";
import type { Database } from "../../src/store/schema.js";
import { listResources, listStatements } from "../../src/store/sql/list-resources.js";
import { openSqliteConnection } from "../../src/store/sqlite/open-sqlite-store.js";
import { sqliteDialect } from "../../src/store/sqlite/sqlite-dialect.js";
import type { ListQuery } from "../../src/store/store.js";

/** A list request as the SQL statements Muster's store ran for it, each with its query plan and how long it took. */
export interface ExplainedList {
  readonly label: string;
  readonly query: Record<string, string>;
  /** In the order they ran; "totalResults" is COUNT, or the resource_counts read for an unfiltered list. */
  readonly statements: readonly { readonly role: "rows" | "totalResults"; readonly sql: string; readonly plan: readonly string[]; readonly ms: number }[];
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

/** A statement as the driver ran it, and how long it took. */
interface Executed {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly ms: number;
}

/**
 * Runs list requests through Muster's own list code (listResources in src/store/sql) on a read-only
 * connection with Muster's SQL functions, recording each statement it executes, then shows their SQL,
 * EXPLAIN QUERY PLAN and time: where a slow list spends its time, without HTTP around it. Statements
 * the server skips (COUNT when the page tells the total, or when resource_counts does) do not appear.
 */
export async function explainLists(file: string, tenantSlug: string, requests: readonly { label: string; query: Record<string, string> }[]): Promise<ExplainedList[]> {
  const raw = openSqliteConnection(file, { busyTimeoutMs: 5000, statementCacheSize: 0 }, "reader");
  const executed: Executed[] = [];
  const record = (event: LogEvent) => {
    if (event.level === "query") executed.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log: record });
  try {
    const tenant = raw.prepare<[string], { id: string }>("select id from tenants where slug = ?").get(tenantSlug);
    if (!tenant) throw new Error(`no tenant "${tenantSlug}"`);
    const schema = registry.forType("User");
    const explained: ExplainedList[] = [];
    for (const { label, query } of requests) {
      const request = unwrap(parseListQuery(schema, query, { defaultCount: protocolLimits.defaultPageSize, maxCount: protocolLimits.maxPageSize }));
      const paging = request.paging.kind === "index" ? request.paging : { kind: "cursor" as const, count: request.paging.count };
      const listQuery: ListQuery = { ...(request.filter ? { filter: request.filter } : {}), page: paging };
      executed.length = 0;
      await listResources(db, sqliteDialect, "User", tenant.id, listQuery);
      const rowsSql = listStatements(db, sqliteDialect, "User", tenant.id, listQuery).rows?.compile().sql;
      explained.push({
        label,
        query,
        // Besides the page's rows, a list runs one statement at most: the one that finds totalResults.
        statements: executed.map(({ sql, parameters, ms }) => ({
          role: sql === rowsSql ? "rows" : "totalResults",
          sql,
          plan: planLines(raw.prepare(`explain query plan ${sql}`).all(...parameters) as { id: number; parent: number; detail: string }[]),
          ms,
        })),
      });
    }
    return explained;
  } finally {
    await db.destroy();
  }
}
