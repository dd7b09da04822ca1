import { memoryFilename, openSqliteStore, type SqliteStoreOptions } from "./sqlite/open-sqlite-store.js";
import type { Store } from "./store.js";

/**
 * Where a database URL points: `sqlite:<path>` (relative to the working directory or absolute;
 * `sqlite:///abs/path` is accepted too) or `sqlite::memory:`. Throws with a sentence for anything else.
 */
export function parseDatabaseUrl(url: string): { readonly kind: "sqlite"; readonly filename: string } {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === "sqlite") {
    let path = trimmed.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "") throw new Error(`Database URL "${trimmed}" names no file: use sqlite:<path> or sqlite::memory:.`);
    return { kind: "sqlite", filename: path === memoryFilename ? memoryFilename : path };
  }
  if (scheme === "postgres" || scheme === "postgresql") {
    throw new Error("PostgreSQL is not supported yet: use a sqlite:<path> database URL.");
  }
  // Only the scheme is echoed: the rest of a URL may carry a password.
  const shown = scheme === undefined ? "a URL without a scheme" : `the scheme "${scheme}:"`;
  throw new Error(`Unsupported database URL (${shown}): use sqlite:<path> or sqlite::memory:.`);
}

/**
 * Opens the database a URL names (the server and the CLI both start here). By default it migrates the
 * schema to the latest version; `options.schema` "verify" refuses a database that lacks migrations
 * instead, and "none" leaves it as it is. A database newer than this build is refused unless "none".
 */
export async function openStore(url: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(url);
  return openSqliteStore(target.filename, options);
}
