import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { LoginFailureRepository } from "../store.js";

/** Failed sign-ins as rows (one per failure and key), so counts hold across server processes. */
export class SqlLoginFailureRepository implements LoginFailureRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async record(keys: readonly string[], at: string): Promise<string> {
    const id = randomUUID();
    if (keys.length > 0) await this.db.insertInto("login_failures").values(keys.map((key) => ({ throttle_key: key, id, failed_at: at }))).execute();
    return id;
  }

  async forget(keys: readonly string[], attemptId: string): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom("login_failures").where("throttle_key", "in", keys).where("id", "=", attemptId).execute();
  }

  async recent(key: string, since: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("login_failures")
      .select("failed_at")
      .where("throttle_key", "=", key)
      .where("failed_at", ">", since)
      .orderBy("failed_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((row) => row.failed_at);
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom("login_failures").where("throttle_key", "=", key).execute();
  }

  async deleteBefore(before: string): Promise<number> {
    const result = await this.db.deleteFrom("login_failures").where("failed_at", "<=", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
