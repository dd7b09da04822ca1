import { sql, type AliasedRawBuilder } from "kysely";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { GroupRef, LookupOptions, StoredResource } from "../store.js";
import type { SqlDialect } from "./dialect.js";

/*
 * The columns a StoredResource is read with besides the row: one flag per extension (is the document's
 * value under that URN a JSON object?) and a User's direct groups as a JSON array of [id, displayName]
 * pairs in group-id order. The lookup statements (resource-lookup.ts) and the list statements
 * (list-resources.ts) use the same text.
 */

/** `1`/`true` when the document in `alias.attributes` holds a JSON object at the bound top-level key. */
export function extensionFlag(dialect: SqlDialect, alias: string, placeholder: string): string {
  return dialect.name === "postgres" ? `jsonb_typeof(${alias}.attributes -> ${placeholder}) = 'object'` : `json_type(${alias}.attributes, ${placeholder}) = 'object'`;
}

/** What extensionFlag's parameter is for an extension URN: SQLite a JSON path, PostgreSQL the key itself. */
export function extensionKey(dialect: SqlDialect, urn: string): string {
  return dialect.name === "postgres" ? urn : `$.${JSON.stringify(urn)}`;
}

/** A correlated subquery: the groups of the resource `alias`, as JSON text `[[id, displayName], …]` ordered by group id. */
export function groupPairs(dialect: SqlDialect, alias: string): string {
  const pair = dialect.name === "postgres" ? "json_build_array(m.group_id, g.display_name)" : "json_array(m.group_id, g.display_name)";
  const aggregate = dialect.name === "postgres" ? `coalesce(json_agg(${pair} order by m.group_id), '[]'::json)` : `json_group_array(${pair} order by m.group_id)`;
  return `(select ${aggregate} from group_members m join groups g on g.tenant_id = m.tenant_id and g.id = m.group_id where m.tenant_id = ${alias}.tenant_id and m.member_id = ${alias}.id)`;
}

/** The columns of LookupOptions as Kysely selections on the row `alias` (named x0…, member_of, as storedFromRow reads them). */
export function storedSelections(dialect: SqlDialect, alias: string, options: LookupOptions, type: ResourceTypeName): AliasedRawBuilder<unknown, string>[] {
  const marker = "\u0001";
  const [before, after] = extensionFlag(dialect, alias, marker).split(marker) as [string, string];
  const selections: AliasedRawBuilder<unknown, string>[] = options.extensions.map((urn, index) => sql<unknown>`${sql.raw(before)}${extensionKey(dialect, urn)}${sql.raw(after)}`.as(`x${index}`));
  if (options.groups && type === "User") selections.push(sql<unknown>`${sql.raw(groupPairs(dialect, alias))}`.as("member_of"));
  return selections;
}

/** A row read with the stored columns as a StoredResource. */
export function storedFromRow(dialect: SqlDialect, type: ResourceTypeName, tenantId: string, row: Record<string, unknown>, extensions: readonly string[]): StoredResource {
  const stored = {
    tenantId,
    id: row["id"] as string,
    type,
    attributesJson: row["attributes"] as string,
    canonicalJson: dialect.name === "sqlite",
    extensions: extensions.filter((_urn, index) => isTrue(row[`x${index}`])),
    created: row["created_at"] as string,
    lastModified: row["last_modified_at"] as string,
    version: Number(row["version"]),
  };
  const memberOf = row["member_of"];
  if (typeof memberOf !== "string") return stored;
  const groups: GroupRef[] = (JSON.parse(memberOf) as [string, string][]).map(([value, display]) => ({ value, display }));
  return { ...stored, groups };
}

/** A SQL boolean as either driver returns it (SQLite 1/0, PostgreSQL true/false; NULL when the key is absent). */
function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}
