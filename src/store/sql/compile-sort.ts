import { sql, type SqlBool } from "kysely";
import { scimError } from "../../scim/errors.js";
import { describeAttribute, leafOf } from "../../scim/schema/registry.js";
import type { CursorPosition, SortSpec } from "../store.js";
import type { Condition, Fragment, SqlDialect } from "./dialect.js";
import type { ResourceLayout, Scalar } from "./layout.js";

/** A compiled sort key: the ORDER BY terms, the keyset condition for cursor paging, and how to read the key back. */
export interface CompiledSort {
  /** The sort value of a row, selected as `sort_value` so cursor pages can report where they ended. */
  readonly value: Fragment | undefined;
  /** ORDER BY terms: unassigned last (when the key can be unassigned), the key, then id in the same direction. */
  readonly orderBy: readonly Fragment[];
  /** Rows strictly after `position` in this order. */
  after(position: CursorPosition): Condition;
  /** The cursor's sortValue for a raw `sort_value` read from a row. */
  readSortValue(raw: unknown): CursorPosition["sortValue"];
}

/**
 * Compiles a sort (RFC 7644 §3.4.2.3) for the resource row `resource`: caseExact=false strings sort
 * folded, multi-valued keys use the primary element's value (else the first element's), unassigned values
 * sort last in both directions and ties are broken by id, so the order is total and stable. Without a
 * sort the order is by id, which is creation order for ids from newId.
 */
export function compileSort(sort: SortSpec | undefined, layout: ResourceLayout, dialect: SqlDialect, resource: string): CompiledSort {
  const id = sql.ref(`${resource}.id`);
  if (!sort) {
    return {
      value: undefined,
      orderBy: [sql`${id} asc`],
      after: (position) => sql<SqlBool>`${id} > ${position.id}`,
      readSortValue: () => null,
    };
  }
  const key = sortKey(sort, layout, dialect, resource);
  const direction = sort.descending ? sql`desc` : sql`asc`;
  const beyond = sql.raw(sort.descending ? "<" : ">");
  const isBoolean = leafOf(sort.attr).type === "boolean";
  const bind = (value: CursorPosition["sortValue"]): unknown => (typeof value === "boolean" ? dialect.booleanParameter(value) : value);
  return {
    value: key.sql,
    orderBy: [...(key.notNull ? [] : [sql`${key.sql} is null asc`]), sql`${key.sql} ${direction}`, sql`${id} ${direction}`],
    after(position) {
      if (position.sortValue === null) {
        return key.notNull ? sql<SqlBool>`false` : sql<SqlBool>`(${key.sql} is null and ${id} ${beyond} ${position.id})`;
      }
      const value = bind(position.sortValue);
      const later = dialect.supportsRowValues
        ? sql<SqlBool>`(${key.sql}, ${id}) ${beyond} (${value}, ${position.id})`
        : sql<SqlBool>`(${key.sql} ${beyond} ${value} or (${key.sql} = ${value} and ${id} ${beyond} ${position.id}))`;
      return key.notNull ? later : sql<SqlBool>`(${later} or ${key.sql} is null)`;
    },
    readSortValue: (raw) => {
      if (raw === null || raw === undefined) return null;
      if (isBoolean) return dialect.readBoolean(raw);
      return typeof raw === "string" || typeof raw === "number" ? raw : String(raw);
    },
  };
}

function unsortable(sort: SortSpec): never {
  throw scimError("invalidValue", `sortBy "${describeAttribute(sort.attr)}" cannot be used to sort.`);
}

function sortKey(sort: SortSpec, layout: ResourceLayout, dialect: SqlDialect, resource: string): Scalar {
  const location = layout.locate(sort.attr, resource) ?? unsortable(sort);
  const sub = sort.attr.subAttribute;
  let scalar: Scalar;
  switch (location.kind) {
    case "scalar":
      if (sub) unsortable(sort);
      scalar = location.scalar;
      break;
    case "object":
      scalar = (sub && location.field(sub)) || unsortable(sort);
      break;
    case "elements": {
      const rows = location.rows("s0", new Set(sub ? [sub.name] : []));
      const field = rows.field(sub) ?? unsortable(sort);
      const where = rows.correlate ? sql` where ${rows.correlate}` : sql``;
      const value = comparable(field, sort, dialect);
      return { sql: sql`(select ${value} from ${rows.from}${where} order by ${sql.join(rows.order)} limit 1)`, folded: true, notNull: false };
    }
  }
  return { ...scalar, sql: comparable(scalar, sort, dialect) };
}

/** The key as it is ordered: folded for caseExact=false strings, in code point order. */
function comparable(scalar: Scalar, sort: SortSpec, dialect: SqlDialect): Fragment {
  const leaf = leafOf(sort.attr);
  const textual = leaf.type === "string" || leaf.type === "reference" || leaf.type === "binary";
  if (!textual) return scalar.sql;
  return dialect.binary(scalar.folded || leaf.caseExact ? scalar.sql : dialect.fold(scalar.sql));
}
