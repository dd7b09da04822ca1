import { CompiledQuery, type Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { LookupStatement, StatementRunner } from "./resource-lookup.js";

/**
 * Runs lookup statements through a Kysely instance's connection (a single statement in autocommit
 * mode). For a database with one shared connection (SQLite in memory): Kysely hands the connection to
 * one user at a time, so a lookup never runs inside another caller's open transaction.
 */
export class KyselyStatementRunner implements StatementRunner {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async all(statement: LookupStatement, parameters: readonly unknown[]): Promise<readonly Record<string, unknown>[]> {
    const result = await this.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement.text, [...parameters]));
    return result.rows;
  }
}
