import type { RawBuilder, SqlBool } from "kysely";

/** Any SQL fragment built with Kysely's `sql` tag (values inside it are bound parameters). */
export type Fragment = RawBuilder<unknown>;

/** A SQL condition. */
export type Condition = RawBuilder<SqlBool>;

/** The SQL type a JSON scalar is read as; the dialect makes it comparable with bound parameters of that kind. */
export type ScalarKind = "string" | "number" | "boolean";

/** Rows of a JSON array, for correlated EXISTS and for picking the primary element. */
export interface JsonArrayRows {
  /** The table expression for FROM, including its alias. */
  readonly from: Fragment;
  /** The element as a JSON value (input to `jsonElementScalar`). */
  readonly element: Fragment;
  /** The element's 0-based index in the array. */
  readonly position: Fragment;
  /** True when the element is a JSON object. */
  readonly isObject: Condition;
}

/**
 * A trigram index of a text column, which answers substring tests with needles of three or more
 * characters: on SQLite an FTS5 table (trigram tokenizer) whose rowids are the rows' rowids, on
 * PostgreSQL a pg_trgm GIN index of the column itself.
 */
export interface TrigramIndex {
  /** The FTS5 table (SQLite). */
  readonly table: string;
  /** The rowid of the row whose column is tested (SQLite). */
  readonly row: Fragment;
}

/**
 * What differs between the databases Muster runs on. The filter compiler, the layout and the
 * repositories are written once against Kysely and this object; a dialect supplies only these
 * factories and flags (as Kysely's own dialect adapters do).
 */
export interface SqlDialect {
  readonly name: "sqlite" | "postgres";
  /** The largest number of bound parameters one statement may carry (chunk sizes derive from it). */
  readonly maxParameters: number;
  /** True when `(a, b) > (?, ?)` row-value comparisons are supported (keyset paging uses them). */
  readonly supportsRowValues: boolean;
  /** True when tables of small rows can be clustered by their primary key (SQLite `WITHOUT ROWID`). */
  readonly supportsWithoutRowid: boolean;
  /**
   * True when a write transaction must lock the rows it reads before changing them (`SELECT … FOR
   * UPDATE`), because it does not hold a database-wide write lock as SQLite's BEGIN IMMEDIATE does.
   */
  readonly supportsRowLocks: boolean;
  /** DDL column types; `text` orders by code point (every text column of every migration uses it). */
  readonly columnTypes: { readonly json: string; readonly boolean: string; readonly text: string };
  /** DDL of the SQL functions the dialect's SQL calls, created by migration 0001 (SQLite registers its functions per connection instead). */
  readonly functions: readonly Fragment[];

  /** The scalar at `keys` inside a JSON document column, or NULL when absent or JSON null. */
  jsonScalar(document: Fragment, keys: readonly string[], kind: ScalarKind): Fragment;
  /** True when the document has a non-null value (of any JSON type) at `keys`. */
  jsonPresent(document: Fragment, keys: readonly string[]): Condition;
  /** The elements of the JSON array at `keys` inside a document, under a table alias. */
  jsonArray(document: Fragment, keys: readonly string[], alias: string): JsonArrayRows;
  /** The scalar at `key` inside one array element (an object), or the element itself when `key` is undefined. */
  jsonElementScalar(rows: JsonArrayRows, key: string | undefined, kind: ScalarKind): Fragment;

  /** Epoch milliseconds of an xsd:dateTime text (parseDateTime in src/scim/filter), NULL when it does not parse. */
  instant(value: Fragment): Fragment;
  /** foldCase (src/scim/fold.ts) applied in SQL, for caseExact=false values that are not stored folded. */
  fold(value: Fragment): Fragment;
  /**
   * True when `value` contains `needle` exactly (no wildcards, no collation). `trigrams` names the
   * trigram index of the stored column `value`, so that the test is written in a form that index answers.
   */
  contains(value: Fragment, needle: string, trigrams?: TrigramIndex): Condition;
  /** True when `value` starts with `prefix` exactly; on an `indexed` column written as a range so the index applies. */
  startsWith(value: Fragment, prefix: string, indexed: boolean): Condition;
  /** True when `value` ends with `suffix` exactly. */
  endsWith(value: Fragment, suffix: string): Condition;
  /** Makes a string expression compare by code point (BINARY on SQLite, COLLATE "C" elsewhere). */
  binary(value: Fragment): Fragment;

  /** `value IN (…)` for a list of any length bound as ONE parameter, so the statement text never varies with it. */
  inList(value: Fragment, list: readonly string[]): Condition;
  /** A boolean as a bound parameter value. */
  booleanParameter(value: boolean): unknown;
  /** A boolean column or JSON value as read back from a row. */
  readBoolean(raw: unknown): boolean | null;
  /**
   * When `error` is the driver's unique-constraint violation, the violated columns (e.g.
   * `["tenant_id", "user_name_key"]`) so the store can name the value that was taken; else undefined.
   */
  uniqueViolation(error: unknown): readonly string[] | undefined;
  /** True when `error` means the database is momentarily busy (lock timeout), so a retry may succeed. */
  isBusy(error: unknown): boolean;
  /** True when the database rolled the transaction back to resolve a conflict (deadlock, serialization failure): running it again may succeed. */
  isRetryable(error: unknown): boolean;
}
