import { sql, type Insertable, type Kysely, type SqlBool } from "kysely";
import { foldCase } from "../../scim/fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { Database, SearchTermsTable } from "../schema.js";
import type { Condition, SqlDialect } from "./dialect.js";

/*
 * The console's search box must stay fast at a million users, so it is answered from an index, not by
 * scanning: every User and Group has rows in search_terms, one per folded word it can be found by, and
 * a search word matches the resources with a term that begins with it (an index range per word). A
 * substring search ("ng" inside "alex.ng@…") would need a scan of the tenant; prefix matching on words,
 * as directory consoles do, covers names typed from their start, whole or partial emails and domains.
 */

/** Longest term or search word kept, in code points (longer ones are cut; prefix matching still works). */
const maxTermLength = 100;
/** Most terms stored for one resource. */
const maxTerms = 64;
/** Most words of one search that are used. */
const maxSearchWords = 8;

/** User attributes searched: userName, the name parts, displayName, nickName and every email. */
const userFields: readonly (readonly string[])[] = [["userName"], ["displayName"], ["nickName"], ["name", "formatted"], ["name", "givenName"], ["name", "middleName"], ["name", "familyName"]];

function clip(word: string): string {
  const codePoints = [...word];
  return codePoints.length > maxTermLength ? codePoints.slice(0, maxTermLength).join("") : word;
}

function valueAt(document: JsonObject, keys: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = document;
  for (const key of keys) value = isJsonObject(value) ? value[key] : undefined;
  return value;
}

/** Folded whitespace-separated words of a text; a word with an "@" also gives the part after it (the email domain). */
function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const word of foldCase(text).split(/\s+/u)) {
    if (word === "") continue;
    words.push(clip(word));
    const at = word.lastIndexOf("@");
    if (at >= 0 && at < word.length - 1) words.push(clip(word.slice(at + 1)));
  }
  return words;
}

/** The folded words a User or Group is found by, without duplicates (at most 64). */
export function searchTermsOf(type: ResourceTypeName, attributes: JsonObject): string[] {
  const texts: string[] = [];
  if (type === "Group") {
    const displayName = attributes["displayName"];
    if (typeof displayName === "string") texts.push(displayName);
  } else {
    for (const keys of userFields) {
      const value = valueAt(attributes, keys);
      if (typeof value === "string") texts.push(value);
    }
    const emails = attributes["emails"];
    for (const email of Array.isArray(emails) ? emails : []) {
      const value = isJsonObject(email) ? email["value"] : undefined;
      if (typeof value === "string") texts.push(value);
    }
  }
  return [...new Set(texts.flatMap(wordsOf))].slice(0, maxTerms);
}

/** Splits what an admin typed into search words (folded, at most 8); empty when there is nothing to search for. */
export function searchWordsOf(text: string): string[] {
  return [...new Set(foldCase(text).split(/\s+/u).filter((word) => word !== "").map(clip))].slice(0, maxSearchWords);
}

/** The search_terms rows of one resource. */
export function searchTermRows(tenantId: string, type: ResourceTypeName, id: string, attributes: JsonObject): Insertable<SearchTermsTable>[] {
  return searchTermsOf(type, attributes).map((term) => ({ tenant_id: tenantId, resource_type: type, term_key: term, resource_id: id }));
}

/**
 * Changes a resource's search terms from those of `previous` (its stored attributes, whose terms are
 * the stored rows) to those of `attributes`: deletes the terms it lost and inserts the ones it gained,
 * and runs no statement at all when the words it is found by stay the same (most updates).
 */
export async function updateSearchTerms(db: Kysely<Database>, dialect: SqlDialect, tenantId: string, type: ResourceTypeName, id: string, previous: JsonObject, attributes: JsonObject): Promise<void> {
  const before = new Set(searchTermsOf(type, previous));
  const after = searchTermsOf(type, attributes);
  const gained = after.filter((term) => !before.has(term));
  for (const term of after) before.delete(term);
  const lost = [...before];
  if (lost.length > 0) {
    await db.deleteFrom("search_terms").where("tenant_id", "=", tenantId).where("resource_id", "=", id).where(dialect.inList(sql.ref("term_key"), lost)).execute();
  }
  if (gained.length > 0) {
    await db.insertInto("search_terms").values(gained.map((term) => ({ tenant_id: tenantId, resource_type: type, term_key: term, resource_id: id }))).execute();
  }
}

/** Inserts the search terms of a resource just created (it has none yet: ids are never reused). */
export async function insertSearchTerms(db: Kysely<Database>, tenantId: string, type: ResourceTypeName, id: string, attributes: JsonObject): Promise<void> {
  const rows = searchTermRows(tenantId, type, id, attributes);
  if (rows.length > 0) await db.insertInto("search_terms").values(rows).execute();
}

/** Replaces a resource's search terms with those of its current attributes (same transaction as the write). */
export async function writeSearchTerms(db: Kysely<Database>, tenantId: string, type: ResourceTypeName, id: string, attributes: JsonObject | undefined): Promise<void> {
  await db.deleteFrom("search_terms").where("tenant_id", "=", tenantId).where("resource_id", "=", id).execute();
  if (attributes === undefined) return;
  const rows = searchTermRows(tenantId, type, id, attributes);
  if (rows.length > 0) await db.insertInto("search_terms").values(rows).execute();
}

/**
 * How a search joins the resource rows. `in` reads the matching terms first and then their resources:
 * cheap for few matches, but every match is read and sorted. `probe` walks the page's order (an index)
 * and tests each row's terms until the page is full: cheap when matches are many, slow when they are few.
 */
export type SearchForm = "in" | "probe";

/**
 * Above this many matches a page is read with the `probe` form. At a million users a page costs about
 * the same either way at 5,000 matches (5,000 row reads and a sort, or ~10,000 index probes when the
 * matches spread over the order); measured by scripts/measure-admin-lists.mjs.
 */
export const searchProbeThreshold = 5_000;

/**
 * The condition "the resource row `resource` has, for every word, a term beginning with it": one
 * indexed range over search_terms per word, as an IN list or as a correlated probe (see SearchForm).
 */
export function compileSearch(words: readonly string[], context: { dialect: SqlDialect; type: ResourceTypeName; tenantId: string; resource: string; form?: SearchForm }): Condition | undefined {
  const { dialect, type, tenantId, resource } = context;
  const conditions = searchWordsOf(words.join(" ")).map((word, index) => {
    // Stored terms never contain U+0000 (resources with it are refused), and PostgreSQL cannot bind it.
    if (word.includes("\u0000")) return sql<SqlBool>`false`;
    const terms = `t${index}`;
    const ref = (column: string) => sql.ref(`${terms}.${column}`);
    const range = dialect.startsWith(ref("term_key"), word, true);
    const table = sql`${sql.table("search_terms")} as ${sql.id(terms)}`;
    if (context.form === "probe") {
      return sql<SqlBool>`exists (select 1 from ${table} where ${ref("tenant_id")} = ${sql.ref(`${resource}.tenant_id`)} and ${ref("resource_id")} = ${sql.ref(`${resource}.id`)} and ${ref("resource_type")} = ${type} and ${range})`;
    }
    return sql<SqlBool>`${sql.ref(`${resource}.id`)} in (select ${ref("resource_id")} from ${table} where ${ref("tenant_id")} = ${tenantId} and ${ref("resource_type")} = ${type} and ${range})`;
  });
  return conditions.length === 0 ? undefined : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}
