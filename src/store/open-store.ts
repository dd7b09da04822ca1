import { openPostgresStore, type PostgresStoreOptions } from "./postgres/open-postgres-store.js";
import { memoryFilename, openSqliteStore, type SqliteStoreOptions } from "./sqlite/open-sqlite-store.js";
import type { Store } from "./store.js";

/** Where a database URL points. */
export type DatabaseTarget = { readonly kind: "sqlite"; readonly filename: string } | { readonly kind: "postgres"; readonly url: string };

/** Options of either database; each store reads its own (the schema policy applies to both). */
export type StoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/**
 * Where a database URL points: `sqlite:<path>` (relative to the working directory or absolute;
 * `sqlite:///abs/path` is accepted too), `sqlite::memory:`, or a PostgreSQL connection URL
 * (`postgres://` or `postgresql://`, as libpq reads it). Throws with a sentence for anything else,
 * never echoing more of the URL than its scheme: the rest may carry a password.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === "sqlite") {
    let path = trimmed.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "") throw new Error(`Database URL "${trimmed}" names no file: use sqlite:<path> or sqlite::memory:.`);
    return { kind: "sqlite", filename: path === memoryFilename ? memoryFilename : path };
  }
  if (scheme === "postgres" || scheme === "postgresql") {
    if (!URL.canParse(trimmed)) {
      throw new Error(`The ${scheme}: database URL does not parse: write it as ${scheme}://user:password@host:port/database (percent-encode special characters in the password).`);
    }
    return { kind: "postgres", url: trimmed };
  }
  const shown = scheme === undefined ? "a URL without a scheme" : `the scheme "${scheme}:"`;
  throw new Error(`Unsupported database URL (${shown}): use sqlite:<path>, sqlite::memory: or postgres://user:password@host:port/database.`);
}

/**
 * Opens the database a URL names (the server and the CLI both start here). By default it migrates the
 * schema to the latest version; `options.schema` "verify" refuses a database that lacks migrations
 * instead, and "none" leaves it as it is. A database newer than this build is refused unless "none".
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(url);
  return target.kind === "postgres" ? openPostgresStore(target.url, options) : openSqliteStore(target.filename, options);
}
