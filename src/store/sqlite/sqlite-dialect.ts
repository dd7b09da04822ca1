import { sql, type SqlBool } from "kysely";
import type { Condition, Fragment, JsonArrayRows, SqlDialect, TrigramIndex } from "../sql/dialect.js";
import { prefixSuccessor } from "../sql/text-range.js";

/** Name of the SQL function that applies foldCase; registered on every SQLite connection. */
export const foldFunctionName = "scim_fold";

/** Name of the SQL function that turns xsd:dateTime text into epoch milliseconds (parseDateTime). */
export const instantFunctionName = "scim_instant";

// Keys come from the schema registry, never from requests; anything else is a programming error.
const safeKey = /^[A-Za-z0-9$_:.\-]+$/;

/** A SQLite JSON path such as `$."name"."givenName"`; labels are quoted because URNs contain dots and colons. */
export function sqliteJsonPath(keys: readonly string[]): string {
  for (const key of keys) {
    if (!safeKey.test(key)) throw new Error(`attribute name ${JSON.stringify(key)} cannot be used in a JSON path`);
  }
  return "$" + keys.map((key) => `."${key}"`).join("");
}

function jsonArray(document: Fragment, keys: readonly string[], alias: string): JsonArrayRows {
  const rows = sql.id(alias);
  return {
    from: sql`json_each(${document}, ${sql.lit(sqliteJsonPath(keys))}) as ${rows}`,
    element: sql`${rows}.value`,
    position: sql`${rows}.key`,
    isObject: sql<SqlBool>`${rows}.type = 'object'`,
  };
}

function jsonElementScalar(rows: JsonArrayRows, key: string | undefined): Fragment {
  // The CASE guards json_extract: for a scalar element json_each's value is plain SQL text, not JSON.
  if (key === undefined) return sql`case when ${rows.isObject} then null else ${rows.element} end`;
  return sql`case when ${rows.isObject} then json_extract(${rows.element}, ${sql.lit(sqliteJsonPath([key]))}) end`;
}

// SQLite's text functions stop at the first NUL character; as BLOBs the full UTF-8 bytes are compared.
// A byte-wise prefix, suffix or substring match of UTF-8 is exactly a character-wise one.
const bytes = (value: Fragment | string): Fragment => sql`cast(${value} as blob)`;

/** The shortest needle an FTS5 trigram index can look up: shorter phrases match no row at all. */
const trigramLength = 3;

function contains(value: Fragment, needle: string, trigrams?: TrigramIndex): Condition {
  const exact = sql<SqlBool>`instr(${bytes(value)}, ${bytes(needle)}) > 0`;
  if (trigrams === undefined || [...needle].length < trigramLength) return exact;
  // A quoted phrase of the trigram tokenizer (case_sensitive 1) matches exactly the texts containing it;
  // the instr test stays so that the result never depends on the index alone.
  const table = sql.table(trigrams.table);
  const phrase = `"${needle.replaceAll('"', '""')}"`;
  return sql<SqlBool>`(${trigrams.row} in (select rowid from ${table} where ${table} match ${phrase}) and ${exact})`;
}

function startsWith(value: Fragment, prefix: string, indexed: boolean): Condition {
  if (prefix === "") return sql<SqlBool>`${value} >= ''`;
  const successor = indexed ? prefixSuccessor(prefix) : undefined;
  // Computed values (JSON, folded) are tested once per row; only a column benefits from the range form.
  if (successor === undefined) return sql<SqlBool>`substr(${bytes(value)}, 1, ${Buffer.byteLength(prefix)}) = ${bytes(prefix)}`;
  return sql<SqlBool>`(${value} >= ${prefix} and ${value} < ${successor})`;
}

function endsWith(value: Fragment, suffix: string): Condition {
  if (suffix === "") return sql<SqlBool>`${value} >= ''`;
  return sql<SqlBool>`substr(${bytes(value)}, ${-Buffer.byteLength(suffix)}) = ${bytes(suffix)}`;
}

function uniqueViolation(error: unknown): readonly string[] | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (code !== "SQLITE_CONSTRAINT_UNIQUE" && code !== "SQLITE_CONSTRAINT_PRIMARYKEY") return undefined;
  const columns = /constraint failed: (.*)$/.exec(error.message)?.[1];
  if (columns === undefined) return [];
  return columns.split(",").map((column) => column.trim().replace(/^[^.]*\./, ""));
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLITE_BUSY*: another connection (the CLI, another process) held the write lock past busy_timeout.
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/** The SQLite dialect: JSON1 functions, 0/1 booleans, BINARY (code point) text order, `scim_fold` for folding. */
export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  maxParameters: 32_766,
  supportsRowValues: true,
  supportsWithoutRowid: true,
  supportsRowLocks: false,
  columnTypes: { json: "text", boolean: "integer", text: "text" },
  functions: [],
  jsonScalar: (document, keys) => sql`json_extract(${document}, ${sql.lit(sqliteJsonPath(keys))})`,
  jsonPresent: (document, keys) => sql<SqlBool>`coalesce(json_type(${document}, ${sql.lit(sqliteJsonPath(keys))}), 'null') <> 'null'`,
  jsonArray,
  jsonElementScalar,
  instant: (value) => sql`${sql.raw(instantFunctionName)}(${value})`,
  fold: (value) => sql`${sql.raw(foldFunctionName)}(${value})`,
  contains,
  startsWith,
  endsWith,
  binary: (value) => value,
  inList: (value, list) => sql<SqlBool>`${value} in (select value from json_each(${JSON.stringify(list)}))`,
  booleanParameter: (value) => (value ? 1 : 0),
  readBoolean: (raw) => (raw === null || raw === undefined ? null : raw === 1 || raw === 1n || raw === true),
  uniqueViolation,
  isBusy,
  // BEGIN IMMEDIATE serialises writers up front, so SQLite never rolls a transaction back to resolve a conflict.
  isRetryable: () => false,
};
