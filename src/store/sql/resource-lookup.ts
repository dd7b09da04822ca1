import { foldCase } from "../../scim/fold.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { LookupKey, LookupOptions, ResourceLookup, StoredResource } from "../store.js";
import type { SqlDialect } from "./dialect.js";
import { isStorableText } from "./resource-rows.js";
import { extensionFlag, extensionKey, groupPairs, storedFromRow } from "./stored-columns.js";

/** A statement of the lookup path: its text, and a name that identifies the text (PostgreSQL prepares it under that name). */
export interface LookupStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Runs one lookup statement outside any transaction, on a connection that never holds one open across
 * requests, so it reads the latest committed state; the driver keeps the statement prepared.
 */
export interface StatementRunner {
  all(statement: LookupStatement, parameters: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
}

/**
 * The column each lookup key (store.ts lookupKeys) compares, whether the value is stored case-folded
 * there, and whether a unique index covers it (then the statement needs no ORDER BY and LIMIT, which
 * make SQLite copy the row into a sorter: 3–4 times the cost of the lookup itself).
 */
const keyColumns: Readonly<Record<ResourceTypeName, Partial<Record<LookupKey, { readonly column: string; readonly folded: boolean; readonly unique: boolean }>>>> = {
  User: {
    id: { column: "id", folded: false, unique: true },
    userName: { column: "user_name_key", folded: true, unique: true },
    externalId: { column: "external_id", folded: false, unique: false },
  },
  Group: {
    id: { column: "id", folded: false, unique: true },
    displayName: { column: "display_name_key", folded: true, unique: true },
    externalId: { column: "external_id", folded: false, unique: false },
  },
};

interface Shape {
  readonly type: ResourceTypeName;
  /** undefined: by id, one row. */
  readonly key: LookupKey | undefined;
  readonly groups: boolean;
  readonly extensions: number;
}

/** Bound parameters in order, written as `?` (SQLite) or `$n` (PostgreSQL). */
function placeholders(dialect: SqlDialect): () => string {
  let count = 0;
  return () => (dialect.name === "postgres" ? `$${++count}` : "?");
}

/**
 * The one statement of a shape: the row, one flag per extension (is its value an object?), and the
 * User's groups aggregated as a JSON array of [id, displayName] pairs in group-id order. Parameters:
 * the extensions' paths, the tenant, the id or key value, then (a key without a unique index) the limit.
 */
function statementText(dialect: SqlDialect, shape: Shape): string {
  const next = placeholders(dialect);
  const table = shape.type === "User" ? "users" : "groups";
  const columns = ["r.id", "r.created_at", "r.last_modified_at", "r.version", "r.attributes"];
  for (let index = 0; index < shape.extensions; index++) columns.push(`${extensionFlag(dialect, "r", next())} as x${index}`);
  if (shape.groups) columns.push(`${groupPairs(dialect, "r")} as member_of`);
  const key = shape.key === undefined ? keyColumns[shape.type].id! : keyColumns[shape.type][shape.key]!;
  const where = `r.tenant_id = ${next()} and r.${key.column} = ${next()}`;
  const tail = key.unique ? "" : ` order by r.id limit ${next()}`;
  return `select ${columns.join(", ")} from ${table} r where ${where}${tail}`;
}

/**
 * ResourceLookup on SQL: each shape (type, key, groups or not, number of extensions) is written once as
 * text and then only run with bound values. The statements are written by hand rather than with Kysely,
 * because building and compiling a query costs more than running an indexed lookup.
 */
export class SqlResourceLookup implements ResourceLookup {
  private readonly dialect: SqlDialect;
  private readonly runner: StatementRunner;
  private readonly statements = new Map<string, LookupStatement>();

  constructor(dialect: SqlDialect, runner: StatementRunner) {
    this.dialect = dialect;
    this.runner = runner;
  }

  async byId(type: ResourceTypeName, tenantId: string, id: string, options: LookupOptions): Promise<StoredResource | undefined> {
    // No stored id holds such text, and PostgreSQL could not even bind it.
    if (!isStorableText(id)) return undefined;
    const rows = await this.run({ type, key: undefined, groups: options.groups && type === "User", extensions: options.extensions.length }, options, [tenantId, id]);
    const row = rows[0];
    return row && storedFromRow(this.dialect, type, tenantId, row, options.extensions);
  }

  async byKey(type: ResourceTypeName, tenantId: string, key: LookupKey, value: string, limit: number, options: LookupOptions): Promise<StoredResource[]> {
    const entry = keyColumns[type][key];
    if (!entry) throw new Error(`${type} resources cannot be looked up by ${key}`);
    if (!isStorableText(value)) return [];
    const needle = entry.folded ? foldCase(value) : value;
    const rows = await this.run({ type, key, groups: options.groups && type === "User", extensions: options.extensions.length }, options, entry.unique ? [tenantId, needle] : [tenantId, needle, limit]);
    return rows.slice(0, limit).map((row) => storedFromRow(this.dialect, type, tenantId, row, options.extensions));
  }

  private run(shape: Shape, options: LookupOptions, values: readonly unknown[]): Promise<readonly Record<string, unknown>[]> {
    const name = `muster_lookup_${shape.type}_${shape.key ?? "byid"}_${shape.groups ? "g" : "n"}_${shape.extensions}`;
    let statement = this.statements.get(name);
    if (!statement) {
      statement = { name, text: statementText(this.dialect, shape) };
      this.statements.set(name, statement);
    }
    const paths = options.extensions.map((urn) => extensionKey(this.dialect, urn));
    return this.runner.all(statement, [...paths, ...values]);
  }
}
