import { sql, type SqlBool } from "kysely";
import { scimError } from "../../scim/errors.js";
import type { CompareOperator } from "../../scim/filter/ast.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { foldCase } from "../../scim/fold.js";
import type { AttributeDefinition } from "../../scim/schema/attribute.js";
import { describeAttribute, leafOf, type ResolvedAttribute } from "../../scim/schema/registry.js";
import type { Condition, Fragment, SqlDialect } from "./dialect.js";
import type { ElementRows, Location, ResourceLayout, Scalar } from "./layout.js";

/*
 * ResolvedFilter → SQL condition, written once for every dialect. The semantics are those of
 * matchesResource in src/scim/filter/evaluate-filter.ts, on documents as the provisioning layer stores
 * them (no null, [] or {} inside; strings may be ""):
 * - two-valued logic: SQL NULL ("unknown") only arises from comparing an unassigned value and counts as
 *   false; `not` of a possibly-unknown operand is written `(…) is not true` so NULL never leaks through it;
 * - "" is unassigned: layouts read it as NULL, so it satisfies no comparison;
 * - multi-valued attributes match when ANY element does (a subquery over the element rows); a value path `a[…]` needs ONE element
 *   to satisfy the whole inner filter within one subquery, so its conditions hold on the same element;
 * - caseExact=false strings compare folded: `*_key` columns are stored folded, JSON values go through
 *   the dialect's fold function, literals through foldCase; order is by code point;
 * - co/sw/ew are exact substring, prefix and suffix tests (never LIKE);
 * - stored text never contains U+0000 (resources with it are refused), so a literal with it is decided
 *   here and never bound (PostgreSQL cannot bind it).
 * Every literal is a bound parameter; only schema-derived names reach the SQL text.
 */

/** A compiled condition and whether it can be NULL (unknown) for some row. */
interface Compiled {
  readonly sql: Condition;
  readonly nullable: boolean;
}

/** What a compilation needs to know about the query the condition goes into. */
export interface FilterContext {
  readonly dialect: SqlDialect;
  readonly layout: ResourceLayout;
  /** Alias of the resource row in the enclosing query. */
  readonly resource: string;
  /** The tenant the enclosing query is restricted to (child-table subqueries repeat the restriction). */
  readonly tenantId: string;
}

/** How sub-attributes of the current element are found, inside a value path or a member DELETE. */
type ElementField = (sub: AttributeDefinition | undefined) => Scalar | undefined;

const TRUE: Compiled = { sql: sql<SqlBool>`true`, nullable: false };
const FALSE: Compiled = { sql: sql<SqlBool>`false`, nullable: false };

/** One compilation: the context, and a counter that gives each subquery its own alias. */
class Compilation {
  private aliasCount = 0;
  readonly context: FilterContext;

  constructor(context: FilterContext) {
    this.context = context;
  }

  nextAlias(): string {
    return `e${this.aliasCount++}`;
  }
}

/** Compiles a filter over resources of `context.layout` into a condition on the row `context.resource`. */
export function compileFilter(filter: ResolvedFilter, context: FilterContext): Condition {
  return compileResource(filter, new Compilation(context)).sql;
}

/**
 * Compiles a filter over the elements of one multi-valued attribute (e.g. members[type eq "User"]),
 * given how the element's sub-attributes are found; a value path on the same attribute is unwrapped.
 */
export function compileElementFilter(filter: ResolvedFilter, dialect: SqlDialect, field: ElementField): Condition {
  const unwrapped = filter.kind === "valuePath" ? filter.filter : filter;
  return compileElement(unwrapped, dialect, field).sql;
}

function compileResource(filter: ResolvedFilter, compilation: Compilation): Compiled {
  switch (filter.kind) {
    case "and":
    case "or":
      return junction(filter.kind, compileResource(filter.left, compilation), compileResource(filter.right, compilation));
    case "not":
      return negate(compileResource(filter.operand, compilation));
    case "present":
      return presentOnResource(filter.attr, compilation);
    case "compare":
      return compareOnResource(filter.attr, filter.op, filter.value, compilation);
    case "valuePath":
      return valuePathOnResource(filter.attr, filter.filter, compilation);
  }
}

function compileElement(filter: ResolvedFilter, dialect: SqlDialect, field: ElementField): Compiled {
  switch (filter.kind) {
    case "and":
    case "or":
      return junction(filter.kind, compileElement(filter.left, dialect, field), compileElement(filter.right, dialect, field));
    case "not":
      return negate(compileElement(filter.operand, dialect, field));
    case "present": {
      // As in matchesElement: only the sub-attribute of an inner path is looked at.
      if (!filter.attr.subAttribute) return FALSE;
      return isAssigned(requireField(field, filter.attr));
    }
    case "compare":
      if (!filter.attr.subAttribute) return FALSE;
      return comparison(requireField(field, filter.attr), leafOf(filter.attr), filter.op, filter.value, dialect);
    case "valuePath":
      return FALSE;
  }
}

function junction(kind: "and" | "or", left: Compiled, right: Compiled): Compiled {
  const text = kind === "and" ? sql<SqlBool>`(${left.sql} and ${right.sql})` : sql<SqlBool>`(${left.sql} or ${right.sql})`;
  return { sql: text, nullable: left.nullable || right.nullable };
}

function negate(operand: Compiled): Compiled {
  // NOT NULL is NULL, which would drop the row; two-valued logic wants "not unknown" to be true.
  return { sql: operand.nullable ? sql<SqlBool>`(${operand.sql}) is not true` : sql<SqlBool>`not (${operand.sql})`, nullable: false };
}

function unfilterable(attr: ResolvedAttribute): never {
  throw scimError("invalidFilter", `Invalid filter: "${describeAttribute(attr)}" cannot be used in a filter.`);
}

function locate(attr: ResolvedAttribute, compilation: Compilation): Location {
  const { layout, resource } = compilation.context;
  return layout.locate(attr, resource) ?? unfilterable(attr);
}

function requireField(field: ElementField, attr: ResolvedAttribute): Scalar {
  return field(attr.subAttribute) ?? unfilterable(attr);
}

/** True when some element row satisfies `where`: an IN semi-join for child tables, else a correlated EXISTS. */
function exists(rows: ElementRows, where: Compiled | undefined, compilation: Compilation): Compiled {
  const { resource, tenantId } = compilation.context;
  if (rows.owner) {
    const conditions = [sql<SqlBool>`${rows.owner.tenant} = ${tenantId}`, ...(where ? [where.sql] : [])];
    const subquery = sql`select ${rows.owner.id} from ${rows.from} where ${sql.join(conditions, sql` and `)}`;
    // Owner ids are never NULL, so IN is two-valued here.
    return { sql: sql<SqlBool>`${sql.ref(`${resource}.id`)} in (${subquery})`, nullable: false };
  }
  const conditions = [rows.correlate, where?.sql].filter((condition) => condition !== undefined);
  const clause = conditions.length > 0 ? sql<SqlBool>` where ${sql.join(conditions, sql` and `)}` : sql``;
  // LIMIT 1 keeps SQLite (3.53) from turning the EXISTS into a join, which then miscounts OFFSET when an
  // element matches twice and the outer rows come in index order (found by the property test).
  return { sql: sql<SqlBool>`exists (select 1 from ${rows.from}${clause} limit 1)`, nullable: false };
}

function subsOf(filter: ResolvedFilter, names: Set<string> = new Set()): Set<string> {
  switch (filter.kind) {
    case "and":
    case "or":
      subsOf(filter.left, names);
      return subsOf(filter.right, names);
    case "not":
      return subsOf(filter.operand, names);
    case "valuePath":
      return subsOf(filter.filter, names);
    default:
      if (filter.attr.subAttribute) names.add(filter.attr.subAttribute.name);
      return names;
  }
}

function presentOnResource(attr: ResolvedAttribute, compilation: Compilation): Compiled {
  const location = locate(attr, compilation);
  switch (location.kind) {
    case "scalar":
      return isAssigned(location.scalar);
    case "object":
      if (!attr.subAttribute) return { sql: location.present, nullable: false };
      return isAssigned(location.field(attr.subAttribute) ?? unfilterable(attr));
    case "elements": {
      const rows = location.rows(compilation.nextAlias(), new Set(attr.subAttribute ? [attr.subAttribute.name] : []));
      // Stored elements of complex attributes are never empty objects, so any row is a value.
      if (!attr.subAttribute && attr.attribute.type === "complex") return exists(rows, undefined, compilation);
      return exists(rows, isAssigned(rows.field(attr.subAttribute) ?? unfilterable(attr)), compilation);
    }
  }
}

function compareOnResource(attr: ResolvedAttribute, op: CompareOperator, value: string | number | boolean, compilation: Compilation): Compiled {
  const { dialect } = compilation.context;
  const location = locate(attr, compilation);
  const leaf = leafOf(attr);
  switch (location.kind) {
    case "scalar":
      return comparison(location.scalar, leaf, op, value, dialect);
    case "object":
      if (!attr.subAttribute) return unfilterable(attr);
      return comparison(location.field(attr.subAttribute) ?? unfilterable(attr), leaf, op, value, dialect);
    case "elements": {
      const rows = location.rows(compilation.nextAlias(), new Set(attr.subAttribute ? [attr.subAttribute.name] : []));
      return exists(rows, comparison(rows.field(attr.subAttribute) ?? unfilterable(attr), leaf, op, value, dialect), compilation);
    }
  }
}

function valuePathOnResource(attr: ResolvedAttribute, inner: ResolvedFilter, compilation: Compilation): Compiled {
  const { dialect } = compilation.context;
  const location = locate(attr, compilation);
  switch (location.kind) {
    case "scalar":
      return unfilterable(attr);
    case "object": {
      // A single complex value is the one element: the filter holds when it exists and satisfies it.
      const field: ElementField = (sub) => (sub ? location.field(sub) : undefined);
      return junction("and", { sql: location.present, nullable: false }, compileElement(inner, dialect, field));
    }
    case "elements": {
      const rows = location.rows(compilation.nextAlias(), subsOf(inner));
      return exists(rows, compileElement(inner, dialect, (sub) => rows.field(sub)), compilation);
    }
  }
}

function isAssigned(scalar: Scalar): Compiled {
  return scalar.notNull ? TRUE : { sql: sql<SqlBool>`${scalar.sql} is not null`, nullable: false };
}

const orderOperators: Readonly<Record<string, string>> = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" };

/** One comparison of a stored value with a literal, by the leaf definition's type (see evaluate-filter.ts). */
function comparison(scalar: Scalar, leaf: AttributeDefinition, op: CompareOperator, literal: string | number | boolean, dialect: SqlDialect): Compiled {
  const nullable = !scalar.notNull;
  const ordered = (left: unknown, right: unknown): Compiled => {
    const operator = orderOperators[op];
    return operator === undefined ? FALSE : { sql: sql<SqlBool>`${left} ${sql.raw(operator)} ${right}`, nullable };
  };
  switch (leaf.type) {
    case "boolean":
      if (typeof literal !== "boolean" || (op !== "eq" && op !== "ne")) return FALSE;
      return ordered(scalar.sql, dialect.booleanParameter(literal));
    case "integer":
    case "decimal":
      return typeof literal === "number" ? ordered(scalar.sql, literal) : FALSE;
    case "dateTime": {
      if (typeof literal !== "string") return FALSE;
      const instant = Date.parse(literal);
      if (Number.isNaN(instant)) return FALSE;
      // Columns hold canonical toISOString text, as do resolved literals, so text order is time order there.
      return scalar.instant === "milliseconds" ? ordered(scalar.sql, instant) : ordered(dialect.binary(scalar.sql), new Date(instant).toISOString());
    }
    case "string":
    case "reference":
    case "binary": {
      if (typeof literal !== "string") return FALSE;
      if (scalar.folded && leaf.caseExact) throw new Error(`layout error: caseExact attribute "${leaf.name}" is stored folded`);
      const stored = scalar.folded || leaf.caseExact;
      const value = stored ? scalar.sql : dialect.fold(scalar.sql);
      const needle = leaf.caseExact ? literal : foldCase(literal);
      if (needle.includes("\u0000")) return comparisonWithNul(value, op, needle, dialect, nullable);
      // A trigram index holds the stored text, so it serves only when that text is compared as it is.
      if (op === "co") return { sql: dialect.contains(value, needle, stored ? scalar.trigrams : undefined), nullable };
      if (op === "sw") return { sql: dialect.startsWith(value, needle, stored && scalar.indexed === true), nullable };
      if (op === "ew") return { sql: dialect.endsWith(value, needle), nullable };
      return ordered(op === "eq" || op === "ne" ? value : dialect.binary(value), needle);
    }
    case "complex":
      return FALSE;
  }
}

/**
 * A comparison with a literal that contains U+0000, which no stored value does: eq, co, sw and ew never
 * hold and ne holds for every assigned value. In code point order a value without U+0000 is greater
 * than "P\u0000…" exactly when it is at least "P\u0001" (U+0001 is the smallest character it can have
 * after P), so the order operators compare with that instead.
 */
function comparisonWithNul(value: Fragment, op: CompareOperator, needle: string, dialect: SqlDialect, nullable: boolean): Compiled {
  const bound = `${needle.slice(0, needle.indexOf("\u0000"))}\u0001`;
  switch (op) {
    case "ne":
      return { sql: sql<SqlBool>`${value} is not null`, nullable: false };
    case "gt":
    case "ge":
      return { sql: sql<SqlBool>`${dialect.binary(value)} >= ${bound}`, nullable };
    case "lt":
    case "le":
      return { sql: sql<SqlBool>`${dialect.binary(value)} < ${bound}`, nullable };
    default:
      return FALSE;
  }
}
