import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";

/**
 * SQLite's planner statistics upkeep (PRAGMA optimize, https://sqlite.org/pragma.html#pragma_optimize).
 * The mask 0x10012 analyzes (0x02) every table whose indexes lack statistics or whose size changed ten-fold
 * (0x10000: also tables this connection never queried — most reads run on the reader connection), each
 * ANALYZE with SQLite's small analysis limit (0x10) so a run stays short on a large database.
 */
export const refreshStatisticsPragma = "optimize=0x10012";

/** How often a long-running server refreshes planner statistics by default (SQLite suggests hourly or daily). */
export const defaultStatisticsRefreshMs = 60 * 60 * 1000;

/** A running schedule; `stop` waits for a refresh in progress. */
export interface StatisticsRefresh {
  stop(): Promise<void>;
}

/**
 * Refreshes statistics every `intervalMs` on the writer connection. Each run takes the connection like any
 * write (after a commit group in progress, never inside one); it is best effort: when another process holds
 * the write lock the run is skipped and the next one tries again.
 */
export function scheduleStatisticsRefresh(writer: Kysely<Database>, intervalMs: number): StatisticsRefresh {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = writer
      .connection()
      .execute((db) => sql.raw(`pragma ${refreshStatisticsPragma}`).execute(db))
      .then(
        () => undefined,
        () => undefined,
      );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
