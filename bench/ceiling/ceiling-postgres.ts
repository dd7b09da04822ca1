import pg from "pg";
import { containsPattern } from "../../src/store/postgres/postgres-dialect.js";
import { prefixSuccessor } from "../../src/store/sql/text-range.js";
import type { CeilingFilter, CeilingGroupWrite, CeilingPage, CeilingRelation, CeilingRow, CeilingStorage, CeilingUserPatch, CeilingUserWrite } from "./ceiling-storage.js";

const rowColumns = "id, created_at, last_modified_at, version, attributes";
const enterprise = '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"';

// jsonb (3802) and json (114) come back as their text, as Muster's pool reads them: the ceiling splices documents as text.
const jsonTypes = new Set([114, 3802]);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (jsonTypes.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** A statement prepared once per connection (pg prepares a named query on its first use on each one). */
interface Statement {
  readonly name: string;
  readonly text: string;
}

function statement(name: string, text: string): Statement {
  return { name: `ceiling_${name}`, text };
}

function filteredStatements(name: string, where: string, parameters: number): { rows: Statement; count: Statement } {
  return {
    rows: statement(`${name}_rows`, `select ${rowColumns} from users where tenant_id = $1 and ${where} order by id limit $${parameters + 2}`),
    count: statement(`${name}_count`, `select count(*)::int as total from users where tenant_id = $1 and ${where}`),
  };
}

/**
 * Every statement of the PostgreSQL ceiling: the shapes Muster's PostgreSQL dialect produces on the same
 * tables and indexes (user_name_key, id, display_name_key, the family_name_key range in COLLATE "C",
 * LIKE on user_name_key for the pg_trgm GIN index, `= any($n)` lists), without Muster's read snapshots,
 * row locks or document rewrites: each request runs the fewest statements its storage work needs.
 */
const statements = {
  tenantBySlug: statement("tenant_by_slug", "select id from tenants where slug = $1"),
  userByName: statement("user_by_name", `select ${rowColumns} from users where tenant_id = $1 and user_name_key = $2`),
  userById: statement("user_by_id", `select ${rowColumns} from users where tenant_id = $1 and id = $2`),
  groupsOfUsers: statement(
    "groups_of_users",
    "select m.member_id as owner, m.group_id as id, g.display_name as display from group_members m join groups g on g.tenant_id = m.tenant_id and g.id = m.group_id where m.tenant_id = $1 and m.member_id = any($2) order by m.member_id, m.group_id",
  ),
  groupByName: statement("group_by_name", `select ${rowColumns} from groups where tenant_id = $1 and display_name_key = $2`),
  groupById: statement("group_by_id", `select ${rowColumns} from groups where tenant_id = $1 and id = $2`),
  membersOfGroup: statement(
    "members_of_group",
    "select m.member_id as id, m.member_type as type, coalesce(nullif(u.attributes ->> 'displayName', ''), u.user_name) as display from group_members m left join users u on u.tenant_id = m.tenant_id and u.id = m.member_id where m.tenant_id = $1 and m.group_id = $2 order by m.member_id",
  ),
  insertUser: statement(
    "insert_user",
    "insert into users (tenant_id, id, user_name, user_name_key, external_id, active, created_at, last_modified_at, version, attributes) values ($1, $2, $3, $4, $5, $6, $7, $7, 1, $8)",
  ),
  insertGroup: statement(
    "insert_group",
    "insert into groups (tenant_id, id, display_name, display_name_key, external_id, created_at, last_modified_at, version, attributes) values ($1, $2, $3, $4, $5, $6, $6, 1, $7)",
  ),
  patchUser: statement(
    "patch_user",
    `update users set attributes = jsonb_set(jsonb_set(jsonb_set(attributes, '{title}', $1::jsonb), '{${enterprise},department}', $2::jsonb), '{phoneNumbers,0,value}', $3::jsonb), last_modified_at = $4, version = version + 1 where tenant_id = $5 and id = $6 returning ${rowColumns}`,
  ),
  replaceUser: statement(
    "replace_user",
    `update users set user_name = $1, user_name_key = $2, external_id = $3, active = $4, attributes = $5, last_modified_at = $6, version = version + 1 where tenant_id = $7 and id = $8 returning ${rowColumns}`,
  ),
  addMember: statement("add_member", "insert into group_members (tenant_id, group_id, member_id, member_type) values ($1, $2, $3, 'User') on conflict do nothing"),
  removeMember: statement("remove_member", "delete from group_members where tenant_id = $1 and group_id = $2 and member_id = $3"),
  touchGroup: statement("touch_group", "update groups set version = version + 1, last_modified_at = $1 where tenant_id = $2 and id = $3"),
  workEmail: filteredStatements("work_email", "id in (select user_id from user_emails where tenant_id = $2 and value_key = $3 and type_key = 'work')", 2),
  familyNameStartsWith: filteredStatements("family_name_sw", "family_name_key >= $2 and family_name_key < $3", 2),
  userNameContains: filteredStatements("user_name_co", "user_name_key like $2", 1),
  allByOffset: statement("all_by_offset", `select ${rowColumns} from users where tenant_id = $1 order by id limit $2 offset $3`),
  allAfter: statement("all_after", `select ${rowColumns} from users where tenant_id = $1 and id > $2 order by id limit $3`),
  countAll: statement("count_all", "select coalesce(sum(total), 0)::integer as total from resource_counts where tenant_id = $1 and resource_type = 'User'"),
};

/** The ceiling's storage on a PostgreSQL database, through one pg pool of Muster's size. */
class PostgresCeilingStorage implements CeilingStorage {
  private readonly pool: pg.Pool;
  private readonly tenantId: string;

  constructor(pool: pg.Pool, tenantId: string) {
    this.pool = pool;
    this.tenantId = tenantId;
  }

  private async rows<T extends pg.QueryResultRow>(query: Statement, values: readonly unknown[], client: pg.Pool | pg.PoolClient = this.pool): Promise<T[]> {
    return (await client.query<T>({ name: query.name, text: query.text, values: [...values] })).rows;
  }

  private async first<T extends pg.QueryResultRow>(query: Statement, values: readonly unknown[]): Promise<T | undefined> {
    return (await this.rows<T>(query, values))[0];
  }

  userByName(userNameKey: string): Promise<CeilingRow | undefined> {
    return this.first(statements.userByName, [this.tenantId, userNameKey]);
  }

  userById(id: string): Promise<CeilingRow | undefined> {
    return this.first(statements.userById, [this.tenantId, id]);
  }

  groupsOfUsers(userIds: readonly string[]): Promise<CeilingRelation[]> {
    return this.rows(statements.groupsOfUsers, [this.tenantId, userIds]);
  }

  async filteredUsers(filter: CeilingFilter, count: number): Promise<CeilingPage> {
    const [query, args] = this.filterArgs(filter);
    const rows = await this.rows<CeilingRow>(query.rows, [this.tenantId, ...args, count]);
    const total = rows.length < count ? rows.length : ((await this.first<{ total: number }>(query.count, [this.tenantId, ...args]))?.total ?? 0);
    return { total, rows };
  }

  private filterArgs(filter: CeilingFilter): [{ rows: Statement; count: Statement }, unknown[]] {
    switch (filter.kind) {
      case "workEmail":
        return [statements.workEmail, [this.tenantId, filter.email]];
      case "familyNameStartsWith":
        return [statements.familyNameStartsWith, [filter.prefix, prefixSuccessor(filter.prefix) ?? "\u{10ffff}"]];
      case "userNameContains":
        return [statements.userNameContains, [containsPattern(filter.needle)]];
    }
  }

  async countUsers(): Promise<number> {
    return (await this.first<{ total: number }>(statements.countAll, [this.tenantId]))?.total ?? 0;
  }

  usersByOffset(count: number, offset: number): Promise<CeilingRow[]> {
    return this.rows(statements.allByOffset, [this.tenantId, count, offset]);
  }

  usersAfter(cursor: string, count: number): Promise<CeilingRow[]> {
    return this.rows(statements.allAfter, [this.tenantId, cursor, count]);
  }

  async insertUser(id: string, now: string, user: CeilingUserWrite): Promise<void> {
    await this.rows(statements.insertUser, [this.tenantId, id, user.userName, user.userNameKey, user.externalId, user.active, now, user.attributes]);
  }

  patchUser(id: string, now: string, values: CeilingUserPatch): Promise<CeilingRow | undefined> {
    return this.first(statements.patchUser, [...values.map((value) => JSON.stringify(value ?? null)), now, this.tenantId, id]);
  }

  replaceUser(id: string, now: string, user: CeilingUserWrite): Promise<CeilingRow | undefined> {
    return this.first(statements.replaceUser, [user.userName, user.userNameKey, user.externalId, user.active, user.attributes, now, this.tenantId, id]);
  }

  groupByName(displayNameKey: string): Promise<CeilingRow | undefined> {
    return this.first(statements.groupByName, [this.tenantId, displayNameKey]);
  }

  groupById(id: string): Promise<CeilingRow | undefined> {
    return this.first(statements.groupById, [this.tenantId, id]);
  }

  membersOfGroup(groupId: string): Promise<CeilingRelation[]> {
    return this.rows(statements.membersOfGroup, [this.tenantId, groupId]);
  }

  async insertGroup(id: string, now: string, group: CeilingGroupWrite): Promise<void> {
    await this.rows(statements.insertGroup, [this.tenantId, id, group.displayName, group.displayNameKey, group.externalId, now, group.attributes]);
  }

  async changeMembers(groupId: string, now: string, changes: readonly { readonly add: boolean; readonly memberId: string }[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("begin");
      for (const change of changes) await this.rows(change.add ? statements.addMember : statements.removeMember, [this.tenantId, groupId, change.memberId], client);
      await this.rows(statements.touchGroup, [now, this.tenantId, groupId], client);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens a pool of `poolSize` connections on the PostgreSQL database at `url` for the tenant with this slug. */
export async function openPostgresCeilingStorage(url: string, tenantSlug: string, poolSize: number): Promise<CeilingStorage> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: "muster-bench-ceiling", types });
  // An idle connection the server drops is discarded by the pool; unheard, its error would end the process.
  pool.on("error", () => undefined);
  try {
    const tenant = (await pool.query<{ id: string }>({ ...statements.tenantBySlug, values: [tenantSlug] })).rows[0];
    if (!tenant) throw new Error(`the database has no tenant "${tenantSlug}"`);
    return new PostgresCeilingStorage(pool, tenant.id);
  } catch (error) {
    await pool.end();
    throw error;
  }
}
