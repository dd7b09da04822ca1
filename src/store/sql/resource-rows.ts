import type { Insertable } from "kysely";
import { scimError } from "../../scim/errors.js";
import { foldCase } from "../../scim/fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { GroupsTable, UserEmailsTable, UsersTable } from "../schema.js";
import type { ResourceRecord } from "../store.js";
import type { SqlDialect } from "./dialect.js";
import { userKeyValues, type UserKeyColumn } from "./key-columns.js";

/** The columns users and groups have in common, as read back. */
export interface ResourceRow {
  tenant_id: string;
  id: string;
  created_at: string;
  last_modified_at: string;
  version: number;
  attributes: string;
}

/** Columns derived from a document: they must always agree with what the layout expects of them. */
type UserColumns = Pick<Insertable<UsersTable>, "user_name" | "user_name_key" | "external_id" | "active" | UserKeyColumn>;
type GroupColumns = Pick<Insertable<GroupsTable>, "display_name" | "display_name_key" | "external_id">;

/** Text that counts as a value: "" is unassigned (RFC 7643 §2.5), so derived columns hold NULL for it. */
function assignedText(value: JsonValue | undefined): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function requiredText(attributes: JsonObject, name: string, type: ResourceTypeName): string {
  const value = attributes[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw scimError("invalidValue", `${type} ${name} is required and must be a non-empty string.`);
  }
  return value;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored faithfully by every database (PostgreSQL cannot hold U+0000 or unpaired surrogates); undefined when it can. */
function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains the character U+0000, which cannot be stored";
  if (unpairedSurrogate.test(text)) return "is not valid Unicode (it contains an unpaired surrogate)";
  return undefined;
}

/** True when every database can store the text, so a stored value can equal it (and PostgreSQL can bind it). */
export function isStorableText(text: string): boolean {
  return textProblem(text) === undefined;
}

/** Where in a document the first text lies that a database cannot store faithfully, and why. */
function unstorableText(value: JsonValue, path: string): { readonly path: string; readonly problem: string } | undefined {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem === undefined ? undefined : { path, problem };
  }
  if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) {
      const found = unstorableText(element, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isJsonObject(value)) {
    for (const [key, element] of Object.entries(value)) {
      const found = unstorableText(key, path) ?? unstorableText(element, path === "" ? key : `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Rejects a document with text that PostgreSQL cannot hold (U+0000, unpaired surrogates) with invalidValue,
 * on every database, so that what a client may store does not depend on the database.
 */
export function checkStorableText(attributes: JsonObject, type: ResourceTypeName): void {
  const found = unstorableText(attributes, "");
  if (found) throw scimError("invalidValue", `${type} attribute "${found.path}" ${found.problem}.`);
}

/** The lookup columns of a user row, key columns (key-columns.ts) included. */
export function userColumns(attributes: JsonObject, dialect: SqlDialect): UserColumns {
  const userName = requiredText(attributes, "userName", "User");
  const active = attributes["active"];
  return {
    user_name: userName,
    user_name_key: foldCase(userName),
    external_id: assignedText(attributes["externalId"]),
    active: typeof active === "boolean" ? (dialect.booleanParameter(active) as number) : null,
    ...userKeyValues(attributes),
  };
}

/** The lookup columns of a group row. */
export function groupColumns(attributes: JsonObject): GroupColumns {
  const displayName = requiredText(attributes, "displayName", "Group");
  return { display_name: displayName, display_name_key: foldCase(displayName), external_id: assignedText(attributes["externalId"]) };
}

/** One user_emails row per element of `emails`, in array order (the position is the element's index). */
export function emailRows(tenantId: string, userId: string, attributes: JsonObject, dialect: SqlDialect): Insertable<UserEmailsTable>[] {
  const emails = attributes["emails"];
  if (!Array.isArray(emails)) return [];
  return emails.map((element, position) => {
    const email = isJsonObject(element) ? element : {};
    const value = assignedText(email["value"]);
    const type = assignedText(email["type"]);
    const primary = email["primary"];
    return {
      tenant_id: tenantId,
      user_id: userId,
      position,
      value,
      value_key: value === null ? null : foldCase(value),
      type_key: type === null ? null : foldCase(type),
      is_primary: typeof primary === "boolean" ? (dialect.booleanParameter(primary) as number) : null,
    };
  });
}

/** True when two User documents give the same user_emails rows (an update then leaves the rows as they are). */
export function sameEmailRows(before: JsonObject, after: JsonObject, dialect: SqlDialect): boolean {
  if (before["emails"] === undefined && after["emails"] === undefined) return true;
  return JSON.stringify(emailRows("", "", before, dialect)) === JSON.stringify(emailRows("", "", after, dialect));
}

/** A stored row as the store's record. */
export function recordFromRow(type: ResourceTypeName, row: ResourceRow): ResourceRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    type,
    attributes: JSON.parse(row.attributes) as JsonObject,
    created: row.created_at,
    lastModified: row.last_modified_at,
    version: Number(row.version),
  };
}

/** The table of a resource type. */
export function tableOf(type: ResourceTypeName): "users" | "groups" {
  return type === "User" ? "users" : "groups";
}
