import { performance } from "node:perf_hooks";
import type pg from "pg";
import type { LookupStatement, StatementRunner } from "../sql/resource-lookup.js";
import type { StoreTelemetry } from "../sql/store-telemetry.js";

/**
 * Runs lookup statements on a pooled connection as named prepared statements: each connection parses
 * and plans a statement once, and a lookup is one round trip (no BEGIN/COMMIT around one statement).
 */
export class PostgresStatementRunner implements StatementRunner {
  private readonly pool: pg.Pool;
  private readonly telemetry: StoreTelemetry;

  constructor(pool: pg.Pool, telemetry: StoreTelemetry) {
    this.pool = pool;
    this.telemetry = telemetry;
  }

  async all(statement: LookupStatement, parameters: readonly unknown[]): Promise<readonly Record<string, unknown>[]> {
    const start = this.telemetry.active ? performance.now() : 0;
    let failed = true;
    try {
      const result = await this.pool.query<Record<string, unknown>>({ name: statement.name, text: statement.text, values: [...parameters] });
      failed = false;
      return result.rows;
    } finally {
      if (this.telemetry.active) this.telemetry.statement("select", (performance.now() - start) / 1000, failed);
    }
  }
}
