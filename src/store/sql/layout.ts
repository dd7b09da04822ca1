import { sql, type SqlBool } from "kysely";
import type { AttributeDefinition, ResourceTypeName } from "../../scim/schema/attribute.js";
import type { ResolvedAttribute } from "../../scim/schema/registry.js";
import type { Condition, Fragment, ScalarKind, SqlDialect, TrigramIndex } from "./dialect.js";
import { keyColumnOf, userKeyColumns, userNameTrigramTable, type KeyColumn } from "./key-columns.js";

/** One value in SQL: NULL when unassigned (RFC 7643 §2.5 — an empty string is stored or read as NULL). */
export interface Scalar {
  readonly sql: Fragment;
  /** The text is already foldCase'd (a `*_key` column); only caseExact=false attributes may live there. */
  readonly folded: boolean;
  /** Never NULL, so sorting needs no nulls-last term and comparisons are never unknown. */
  readonly notNull: boolean;
  /** A plain column that an index may cover, so range conditions on it are worth writing. */
  readonly indexed?: boolean;
  /** A trigram index of the column's stored text, which can answer substring tests (`co`). */
  readonly trigrams?: TrigramIndex;
  /** How dateTime values are held: canonical ISO text (columns) or epoch milliseconds (JSON documents). */
  readonly instant?: "iso" | "milliseconds";
}

/** The rows of one multi-valued attribute of the resource row, for a filter subquery or a sort subquery. */
export interface ElementRows {
  /** FROM clause (table or table function, with alias and joins). */
  readonly from: Fragment;
  /** Ties the rows to the outer resource row; undefined when `from` is already correlated (a table function). */
  readonly correlate?: Condition;
  /**
   * For child-table rows: their tenant and owning-resource columns. Filters then test
   * `resource.id IN (SELECT owner FROM … WHERE tenant = ? AND …)`, which the planner answers from the
   * child table's index instead of probing it once per resource row as a correlated EXISTS would.
   */
  readonly owner?: { readonly tenant: Fragment; readonly id: Fragment };
  /** A sub-attribute of the element (for simple multi-valued attributes: the element itself, `sub` undefined). */
  field(sub: AttributeDefinition | undefined): Scalar | undefined;
  /** Primary element first, then in array order: the element whose value a sort uses. */
  readonly order: readonly Fragment[];
}

/** Where a top-level attribute lives. */
export type Location =
  | { readonly kind: "scalar"; readonly scalar: Scalar }
  | { readonly kind: "object"; readonly present: Condition; field(sub: AttributeDefinition): Scalar | undefined }
  | { readonly kind: "elements"; rows(alias: string, subs: ReadonlySet<string>): ElementRows };

/** Where each attribute of a resource type lives: a column, the JSON document, or a child table. */
export interface ResourceLayout {
  /** Locates the top-level attribute of `attr` on the resource row `alias`; undefined when it cannot be queried. */
  locate(attr: ResolvedAttribute, alias: string): Location | undefined;
}

const always: Condition = sql<SqlBool>`true`;

const column = (alias: string, name: string, options: Partial<Omit<Scalar, "sql">> = {}): Scalar => ({
  sql: sql.ref(`${alias}.${name}`),
  folded: false,
  notNull: false,
  indexed: true,
  ...options,
});

function scalarKind(definition: AttributeDefinition): ScalarKind {
  if (definition.type === "boolean") return "boolean";
  return definition.type === "integer" || definition.type === "decimal" ? "number" : "string";
}

/** A JSON value as a Scalar: "" reads as NULL, dateTime text as epoch milliseconds. */
function jsonLeaf(dialect: SqlDialect, value: Fragment, definition: AttributeDefinition): Scalar {
  const kind = scalarKind(definition);
  const text = kind === "string" ? sql`nullif(${value}, '')` : value;
  if (definition.type === "dateTime") return { sql: dialect.instant(text), folded: false, notNull: false, instant: "milliseconds" };
  return { sql: text, folded: false, notNull: false };
}

/** A primary-first ordering when the element has a boolean `primary` sub-attribute. */
function primaryFirst(field: ElementRows["field"], definition: AttributeDefinition, dialect: SqlDialect): Fragment[] {
  const primary = definition.subAttributes?.find((sub) => sub.name === "primary" && sub.type === "boolean");
  const flag = primary ? field(primary) : undefined;
  return flag ? [sql`case when ${flag.sql} = ${dialect.booleanParameter(true)} then 0 else 1 end`] : [];
}

/** Attributes inside the JSON document: scalars, complex objects and arrays (json_each on SQLite). */
function documentLocation(dialect: SqlDialect, document: Fragment, keys: readonly string[], definition: AttributeDefinition): Location {
  if (definition.multiValued) {
    return {
      kind: "elements",
      rows: (alias) => {
        const rows = dialect.jsonArray(document, keys, alias);
        const field = (sub: AttributeDefinition | undefined): Scalar | undefined => {
          if ((definition.type === "complex") !== (sub !== undefined)) return undefined;
          const leaf = sub ?? definition;
          return jsonLeaf(dialect, dialect.jsonElementScalar(rows, sub?.name, scalarKind(leaf)), leaf);
        };
        return { from: rows.from, field, order: [...primaryFirst(field, definition, dialect), rows.position] };
      },
    };
  }
  if (definition.type === "complex") {
    return {
      kind: "object",
      present: dialect.jsonPresent(document, keys),
      field: (sub) => jsonLeaf(dialect, dialect.jsonScalar(document, [...keys, sub.name], scalarKind(sub)), sub),
    };
  }
  return { kind: "scalar", scalar: jsonLeaf(dialect, dialect.jsonScalar(document, keys, scalarKind(definition)), definition) };
}

/** `meta.created` and `meta.lastModified` are columns; resourceType, location and version are not stored. */
function metaLocation(alias: string): Location {
  return {
    kind: "object",
    present: always,
    field: (sub) => {
      if (sub.name === "created") return column(alias, "created_at", { notNull: true, instant: "iso" });
      if (sub.name === "lastModified") return column(alias, "last_modified_at", { notNull: true, instant: "iso" });
      return undefined;
    },
  };
}

/** How rows of a child table (alias) belong to the resource row: by tenant and the `ownerColumn` id. */
function childRows(alias: string, ownerColumn: string, resource: string): Pick<ElementRows, "correlate" | "owner"> {
  const tenant = sql.ref(`${alias}.tenant_id`);
  const id = sql.ref(`${alias}.${ownerColumn}`);
  return {
    correlate: sql<SqlBool>`${tenant} = ${sql.ref(`${resource}.tenant_id`)} and ${id} = ${sql.ref(`${resource}.id`)}`,
    owner: { tenant, id },
  };
}

/** User.emails: rows of user_emails when only value/type/primary are asked for, else the JSON array. */
function emailsLocation(dialect: SqlDialect, resource: string, definition: AttributeDefinition, document: Location): Location {
  const indexed = new Set(["value", "type", "primary"]);
  return {
    kind: "elements",
    rows: (alias, subs) => {
      if (document.kind !== "elements" || [...subs].some((sub) => !indexed.has(sub))) {
        return (document as Extract<Location, { kind: "elements" }>).rows(alias, subs);
      }
      const field = (sub: AttributeDefinition | undefined): Scalar | undefined => {
        if (sub?.name === "value") return column(alias, "value_key", { folded: true });
        if (sub?.name === "type") return column(alias, "type_key", { folded: true });
        if (sub?.name === "primary") return column(alias, "is_primary");
        return undefined;
      };
      return {
        from: sql`${sql.table("user_emails")} as ${sql.id(alias)}`,
        ...childRows(alias, "user_id", resource),
        field,
        order: [...primaryFirst(field, definition, dialect), sql.ref(`${alias}.position`)],
      };
    },
  };
}

/** User.groups: the groups naming the user as a direct member, with their current displayName. */
function groupsLocation(resource: string): Location {
  return {
    kind: "elements",
    rows: (alias) => {
      const group = `${alias}g`;
      return {
        from: sql`${sql.table("group_members")} as ${sql.id(alias)} inner join ${sql.table("groups")} as ${sql.id(group)} on ${sql.ref(`${group}.tenant_id`)} = ${sql.ref(`${alias}.tenant_id`)} and ${sql.ref(`${group}.id`)} = ${sql.ref(`${alias}.group_id`)}`,
        ...childRows(alias, "member_id", resource),
        field: (sub) => {
          if (sub?.name === "value") return column(alias, "group_id", { notNull: true });
          if (sub?.name === "display") return column(group, "display_name_key", { folded: true, notNull: true });
          // Only direct membership is stored (ENT-57: Entra provisions direct members only).
          if (sub?.name === "type") return { sql: sql`'direct'`, folded: true, notNull: true };
          return undefined;
        },
        order: [sql.ref(`${alias}.group_id`)],
      };
    },
  };
}

/** The display of a member as membersOf returns it: a user's displayName (else userName), a group's displayName. */
export function memberDisplay(dialect: SqlDialect, members: string): Fragment {
  const user = `${members}u`;
  const group = `${members}g`;
  const userDisplay = sql`coalesce(nullif(${dialect.jsonScalar(sql.ref(`${user}.attributes`), ["displayName"], "string")}, ''), ${sql.ref(`${user}.user_name`)})`;
  return sql`case ${sql.ref(`${members}.member_type`)} when 'User' then (select ${userDisplay} from ${sql.table("users")} as ${sql.id(user)} where ${sql.ref(`${user}.tenant_id`)} = ${sql.ref(`${members}.tenant_id`)} and ${sql.ref(`${user}.id`)} = ${sql.ref(`${members}.member_id`)}) else (select ${sql.ref(`${group}.display_name`)} from ${sql.table("groups")} as ${sql.id(group)} where ${sql.ref(`${group}.tenant_id`)} = ${sql.ref(`${members}.tenant_id`)} and ${sql.ref(`${group}.id`)} = ${sql.ref(`${members}.member_id`)}) end`;
}

/** The member sub-attributes of one group_members row (also used by removeMembersWhere). */
export function memberField(dialect: SqlDialect, members: string, sub: AttributeDefinition | undefined): Scalar | undefined {
  if (sub?.name === "value") return column(members, "member_id", { notNull: true });
  if (sub?.name === "type") return column(members, "member_type", { notNull: true });
  if (sub?.name === "display") return { sql: memberDisplay(dialect, members), folded: false, notNull: false };
  return undefined;
}

/** Group.members: one group_members row per member. */
function membersLocation(dialect: SqlDialect, resource: string): Location {
  return {
    kind: "elements",
    rows: (alias) => ({
      from: sql`${sql.table("group_members")} as ${sql.id(alias)}`,
      ...childRows(alias, "group_id", resource),
      field: (sub) => memberField(dialect, alias, sub),
      order: [sql.ref(`${alias}.member_id`)],
    }),
  };
}

/** Attributes every resource has, extension attributes, and what cannot be queried; undefined for the rest. */
function locateCommon(dialect: SqlDialect, attr: ResolvedAttribute, alias: string): Location | "unsupported" | undefined {
  const name = attr.attribute.name;
  if (attr.attribute.returned === "never") return "unsupported";
  if (attr.extension) return documentOf(dialect, attr, alias);
  if (name === "id") return { kind: "scalar", scalar: column(alias, "id", { notNull: true }) };
  if (name === "externalId") return { kind: "scalar", scalar: column(alias, "external_id") };
  if (name === "meta") return metaLocation(alias);
  return undefined;
}

/** The attribute inside the JSON document (extension attributes under their schema URN). */
function documentOf(dialect: SqlDialect, attr: ResolvedAttribute, alias: string): Location {
  const keys = attr.extension ? [attr.schema, attr.attribute.name] : [attr.attribute.name];
  return documentLocation(dialect, sql.ref(`${alias}.attributes`), keys, attr.attribute);
}

/**
 * An attribute with key columns (key-columns.ts): the column itself for a simple attribute; for a
 * complex one, the columns of its listed sub-attributes and the document for the others. Undefined
 * for attributes without key columns.
 */
function keyedLocation(dialect: SqlDialect, attr: ResolvedAttribute, alias: string): Location | undefined {
  const name = attr.attribute.name;
  if (!userKeyColumns.some((key: KeyColumn) => key.schema === attr.schema && key.attribute === name)) return undefined;
  const keyScalar = (key: KeyColumn): Scalar => column(alias, key.column, { folded: true });
  const document = documentOf(dialect, attr, alias);
  if (document.kind === "object") {
    return {
      ...document,
      field: (sub) => {
        const key = keyColumnOf(attr.schema, name, sub.name);
        return key ? keyScalar(key) : document.field(sub);
      },
    };
  }
  const key = keyColumnOf(attr.schema, name, undefined);
  return document.kind === "scalar" && key ? { kind: "scalar", scalar: keyScalar(key) } : document;
}

/** Layout of User rows (table users with its key columns, child table user_emails, membership via group_members). */
export function userLayout(dialect: SqlDialect): ResourceLayout {
  return {
    locate(attr, alias) {
      const keyed = keyedLocation(dialect, attr, alias);
      if (keyed !== undefined) return keyed;
      const common = locateCommon(dialect, attr, alias);
      if (common !== undefined) return common === "unsupported" ? undefined : common;
      switch (attr.attribute.name) {
        case "userName": {
          const trigrams: TrigramIndex = { table: userNameTrigramTable, row: sql.ref(`${alias}.rowid`) };
          return { kind: "scalar", scalar: column(alias, "user_name_key", { folded: true, notNull: true, trigrams }) };
        }
        case "active":
          return { kind: "scalar", scalar: column(alias, "active") };
        case "emails":
          return emailsLocation(dialect, alias, attr.attribute, documentOf(dialect, attr, alias));
        case "groups":
          return groupsLocation(alias);
        default:
          return documentOf(dialect, attr, alias);
      }
    },
  };
}

/** Layout of Group rows (table groups; members are group_members rows, never in the document). */
export function groupLayout(dialect: SqlDialect): ResourceLayout {
  return {
    locate(attr, alias) {
      const common = locateCommon(dialect, attr, alias);
      if (common !== undefined) return common === "unsupported" ? undefined : common;
      switch (attr.attribute.name) {
        case "displayName":
          return { kind: "scalar", scalar: column(alias, "display_name_key", { folded: true, notNull: true }) };
        case "members":
          return membersLocation(dialect, alias);
        default:
          return documentOf(dialect, attr, alias);
      }
    },
  };
}

/** The layout of a resource type. */
export function layoutFor(type: ResourceTypeName, dialect: SqlDialect): ResourceLayout {
  return type === "User" ? userLayout(dialect) : groupLayout(dialect);
}
