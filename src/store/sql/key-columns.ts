import { foldCase } from "../../scim/fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import { Urn } from "../../scim/urns.js";

/*
 * Attributes that IdPs and admins commonly filter and sort on get a folded copy in a users column with
 * an index (tenant_id, column, id), so eq/sw/gt/ge/lt/le are index ranges and a sort by them reads the
 * index in order instead of folding the JSON document of every row. The columns are derived like
 * user_name_key: written from the document on every insert and update (resource-rows.ts), read by the
 * layout (layout.ts), moved by `muster copy` (transfer-tables.ts). Adding an entry needs a migration that
 * adds and backfills its column (as 0005 did for these) and the column in schema.ts.
 */

/** A caseExact=false string attribute of User kept folded in its own indexed column. */
export interface KeyColumn {
  /** The column of table users, ending in `_key`. */
  readonly column: string;
  /** URN of the schema defining the attribute (Urn.User for core attributes). */
  readonly schema: string;
  /** The top-level attribute. */
  readonly attribute: string;
  /** The sub-attribute, when the top-level attribute is a single complex one (name.familyName). */
  readonly subAttribute?: string;
}

/**
 * The User attributes with key columns (migration 0005 created these columns and their indexes). Each
 * costs every user insert and update one more index entry (about 50 µs of CPU and one more page in
 * the commit, measured at a million users), so only attributes that are commonly filtered are here;
 * an extension attribute is listed with its schema URN (Urn.EnterpriseUser).
 */
export const userKeyColumns = [
  { column: "given_name_key", schema: Urn.User, attribute: "name", subAttribute: "givenName" },
  { column: "family_name_key", schema: Urn.User, attribute: "name", subAttribute: "familyName" },
  { column: "display_name_key", schema: Urn.User, attribute: "displayName" },
] as const satisfies readonly KeyColumn[];

/** The name of a key column of users. */
export type UserKeyColumn = (typeof userKeyColumns)[number]["column"];

/**
 * The SQLite FTS5 table (trigram tokenizer) indexing users.user_name_key, so `userName co` is answered
 * from an index; PostgreSQL has a pg_trgm GIN index on the column instead (migration 0005).
 */
export const userNameTrigramTable = "users_user_name_trigrams";

/** The key column of the attribute, if it has one (`subAttribute` undefined for a simple attribute). */
export function keyColumnOf(schema: string, attribute: string, subAttribute: string | undefined): KeyColumn | undefined {
  return userKeyColumns.find((key: KeyColumn) => key.schema === schema && key.attribute === attribute && key.subAttribute === subAttribute);
}

function member(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return isJsonObject(value) ? value[key] : undefined;
}

/** The stored value of a key column in a document: foldCase of the text, NULL when unassigned ("" included, RFC 7643 §2.5). */
export function keyValueOf(attributes: JsonObject, key: KeyColumn): string | null {
  const top = key.schema === Urn.User ? attributes[key.attribute] : member(attributes[key.schema], key.attribute);
  const value = key.subAttribute === undefined ? top : member(top, key.subAttribute);
  return typeof value === "string" && value !== "" ? foldCase(value) : null;
}

/** Every key column of a user row, from its document. */
export function userKeyValues(attributes: JsonObject): Record<UserKeyColumn, string | null> {
  return Object.fromEntries(userKeyColumns.map((key) => [key.column, keyValueOf(attributes, key)])) as Record<UserKeyColumn, string | null>;
}
