import type { Command } from "commander";
import { refuseNewerDatabase } from "../store/migrations/schema-status.js";
import { openStore } from "../store/open-store.js";
import type { SchemaStatus } from "../store/store.js";
import { commandConfig, withDatabaseOptions, type DatabaseOptions } from "./store-access.js";

// A second node migrating at the same moment waits for the first to finish instead of failing (SQLite's write lock).
const migrationLockWaitMs = 10 * 60_000;

/** `muster migrate [--check]`: applies pending database migrations explicitly, or reports whether any are pending. */
export function registerMigrateCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command("migrate")
      .description("apply pending database migrations (safe while other nodes run: one applies them, the others wait)")
      .option("--check", "apply nothing; exit with status 3 when migrations are pending"),
    { printsUrls: false },
  ).action(async (options: DatabaseOptions & { check?: boolean }) => {
    const config = commandConfig(options);
    const store = await openStore(config.databaseUrl, { schema: "none", busyTimeoutMs: migrationLockWaitMs });
    try {
      const before = await store.schemaStatus();
      refuseNewerDatabase(before);
      if (options.check && before.pending.length > 0) {
        console.log(`Pending migrations: ${before.pending.join(", ")}. Run \`muster migrate\` to apply them.`);
        process.exitCode = 3;
        return;
      }
      if (options.check) {
        console.log(`Up to date: ${whereItIs(before)}.`);
        return;
      }
      const applied = await store.migrate();
      const after = await store.schemaStatus();
      if (applied.length === 0) console.log(`Nothing to apply: ${whereItIs(after)}.`);
      else console.log(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}: ${applied.join(", ")}.\nNow ${whereItIs(after)}.`);
    } finally {
      await store.close();
    }
  });
}

function whereItIs(status: SchemaStatus): string {
  const last = status.applied[status.applied.length - 1];
  return last === undefined ? "the database has no migrations" : `the database is at ${last}, the latest migration this build knows`;
}
