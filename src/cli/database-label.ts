/**
 * A database URL as the CLI may print it: a SQLite URL as given, a PostgreSQL URL without its password
 * and query (either may hold a secret), anything else by its scheme only.
 */
export function databaseLabel(url: string): string {
  const trimmed = url.trim();
  if (/^sqlite:/i.test(trimmed)) return trimmed;
  try {
    const parsed = new URL(trimmed);
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") return `a ${parsed.protocol} database`;
    const user = parsed.username === "" ? "" : `${parsed.username}@`;
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return "a database (its URL does not parse)";
  }
}
