import type { Command } from "commander";
import { loadConfig, type Config } from "../config.js";
import { refuseOutdatedDatabase } from "../store/migrations/schema-status.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";

/**
 * Opens the configured database and applies the migration policy: pending migrations are applied
 * (and listed in `applied`), or with MUSTER_AUTO_MIGRATE=false refused. A database newer than this
 * build is always refused.
 */
export async function openConfiguredStore(config: Config): Promise<{ store: Store; applied: string[] }> {
  const store = await openStore(config.databaseUrl, { schema: "none" });
  try {
    if (config.autoMigrate) return { store, applied: await store.migrate() };
    refuseOutdatedDatabase(await store.schemaStatus());
    return { store, applied: [] };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Opens the configured database (migrating it unless MUSTER_AUTO_MIGRATE=false), runs `work`, and closes it. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const { store } = await openConfiguredStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The public URL: MUSTER_PUBLIC_URL, or http://host:port with wildcard hosts shown as localhost. */
export function publicUrlOf(config: Config, port: number = config.port): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Options every command that opens the database takes. */
export interface DatabaseOptions {
  readonly db?: string;
  readonly publicUrl?: string;
}

/** Adds `--db` (and, for commands that print URLs, `--public-url`) to a command. */
export function withDatabaseOptions(command: Command, options: { printsUrls: boolean }): Command {
  command.option("--db <url>", "database URL (default: $MUSTER_DATABASE_URL or sqlite:./data/muster.db)");
  if (options.printsUrls) command.option("--public-url <url>", "public base URL for the printed SCIM base URLs (default: $MUSTER_PUBLIC_URL or http://host:port)");
  return command;
}

/** The configuration a command runs with: its flags over the environment. */
export function commandConfig(options: DatabaseOptions): Config {
  return loadConfig({ db: options.db, publicUrl: options.publicUrl });
}
