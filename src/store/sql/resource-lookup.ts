import { foldCase } from "../../scim/fold.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { GroupRef, LookupKey, LookupOptions, ResourceLookup, StoredResource } from "../store.js";
import type { SqlDialect } from "./dialect.js";

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
  const postgres = dialect.name === "postgres";
  const table = shape.type === "User" ? "users" : "groups";
  const columns = ["r.id", "r.created_at", "r.last_modified_at", "r.version", "r.attributes"];
  for (let index = 0; index < shape.extensions; index++) {
    columns.push(postgres ? `jsonb_typeof(r.attributes -> ${next()}) = 'object' as x${index}` : `json_type(r.attributes, ${next()}) = 'object' as x${index}`);
  }
  if (shape.groups) {
    const pair = postgres ? "json_build_array(m.group_id, g.display_name)" : "json_array(m.group_id, g.display_name)";
    const aggregate = postgres ? `coalesce(json_agg(${pair} order by m.group_id), '[]'::json)` : `json_group_array(${pair} order by m.group_id)`;
    columns.push(`(select ${aggregate} from group_members m join groups g on g.tenant_id = m.tenant_id and g.id = m.group_id where m.tenant_id = r.tenant_id and m.member_id = r.id) as member_of`);
  }
  const key = shape.key === undefined ? keyColumns[shape.type].id! : keyColumns[shape.type][shape.key]!;
  const where = `r.tenant_id = ${next()} and r.${key.column} = ${next()}`;
  const tail = key.unique ? "" : ` order by r.id limit ${next()}`;
  return `select ${columns.join(", ")} from ${table} r where ${where}${tail}`;
}

/** The path of a top-level key in the dialect's JSON functions: SQLite `$."urn:…"`, PostgreSQL the key itself (`->`). */
function extensionPath(dialect: SqlDialect, urn: string): string {
  return dialect.name === "postgres" ? urn : `$.${JSON.stringify(urn)}`;
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
    const rows = await this.run({ type, key: undefined, groups: options.groups && type === "User", extensions: options.extensions.length }, options, [tenantId, id]);
    const row = rows[0];
    return row && this.storedFrom(type, tenantId, row, options);
  }

  async byKey(type: ResourceTypeName, tenantId: string, key: LookupKey, value: string, limit: number, options: LookupOptions): Promise<StoredResource[]> {
    const entry = keyColumns[type][key];
    if (!entry) throw new Error(`${type} resources cannot be looked up by ${key}`);
    const needle = entry.folded ? foldCase(value) : value;
    const rows = await this.run({ type, key, groups: options.groups && type === "User", extensions: options.extensions.length }, options, entry.unique ? [tenantId, needle] : [tenantId, needle, limit]);
    return rows.slice(0, limit).map((row) => this.storedFrom(type, tenantId, row, options));
  }

  private run(shape: Shape, options: LookupOptions, values: readonly unknown[]): Promise<readonly Record<string, unknown>[]> {
    const name = `muster_lookup_${shape.type}_${shape.key ?? "byid"}_${shape.groups ? "g" : "n"}_${shape.extensions}`;
    let statement = this.statements.get(name);
    if (!statement) {
      statement = { name, text: statementText(this.dialect, shape) };
      this.statements.set(name, statement);
    }
    const paths = options.extensions.map((urn) => extensionPath(this.dialect, urn));
    return this.runner.all(statement, [...paths, ...values]);
  }

  private storedFrom(type: ResourceTypeName, tenantId: string, row: Record<string, unknown>, options: LookupOptions): StoredResource {
    const extensions = options.extensions.filter((_urn, index) => isTrue(row[`x${index}`]));
    const stored = {
      tenantId,
      id: row["id"] as string,
      type,
      attributesJson: row["attributes"] as string,
      canonicalJson: this.dialect.name === "sqlite",
      extensions,
      created: row["created_at"] as string,
      lastModified: row["last_modified_at"] as string,
      version: Number(row["version"]),
    };
    const memberOf = row["member_of"];
    if (typeof memberOf !== "string") return stored;
    const groups: GroupRef[] = (JSON.parse(memberOf) as [string, string][]).map(([value, display]) => ({ value, display }));
    return { ...stored, groups };
  }
}

/** A SQL boolean as either driver returns it (SQLite 1/0, PostgreSQL true/false; NULL when the key is absent). */
function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}
