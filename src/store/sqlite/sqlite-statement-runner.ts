import type BetterSqlite3 from "better-sqlite3";
import type { LookupStatement, StatementRunner } from "../sql/resource-lookup.js";
import type { StoreTelemetry } from "../sql/store-telemetry.js";
import { StatementCache } from "./statement-cache.js";

/**
 * Runs lookup statements on a read-only connection of their own. Nothing else uses it and a statement
 * there is never part of a transaction, so each reads the latest committed state (a write's response
 * is sent after its COMMIT, so a client reads what it wrote); statements stay prepared.
 */
export class SqliteStatementRunner implements StatementRunner {
  private readonly statements: StatementCache;

  constructor(db: BetterSqlite3.Database, telemetry: StoreTelemetry) {
    this.statements = new StatementCache(db, 64, telemetry);
  }

  async all(statement: LookupStatement, parameters: readonly unknown[]): Promise<readonly Record<string, unknown>[]> {
    return this.statements.prepare(statement.text).all(parameters) as Record<string, unknown>[];
  }

  close(): void {
    this.statements.close();
  }
}
