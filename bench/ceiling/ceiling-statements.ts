import type BetterSqlite3 from "better-sqlite3";
import type { CeilingRelation, CeilingRow } from "./ceiling-storage.js";

const rowColumns = "id, created_at, last_modified_at, version, attributes";
const enterprise = '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"';

/**
 * Every statement the ceiling runs, prepared once: the storage work a SCIM request needs on Muster's
 * own tables and indexes, written by hand with nothing around it. Each is an indexed lookup, one
 * insert, one update or one delete, except the non-indexed filters, which read what Muster's SQL reads.
 */
export function prepareCeilingStatements(db: BetterSqlite3.Database) {
  const page = (where: string) => ({
    rows: db.prepare<[string, ...unknown[]], CeilingRow>(`select ${rowColumns} from users where tenant_id = ? and ${where} order by id limit ?`),
    count: db.prepare<[string, ...unknown[]], { total: number }>(`select count(*) as total from users where tenant_id = ? and ${where}`),
  });
  return {
    tenantBySlug: db.prepare<[string], { id: string }>("select id from tenants where slug = ?"),
    userByName: db.prepare<[string, string], CeilingRow>(`select ${rowColumns} from users where tenant_id = ? and user_name_key = ?`),
    userById: db.prepare<[string, string], CeilingRow>(`select ${rowColumns} from users where tenant_id = ? and id = ?`),
    groupsOfUsers: db.prepare<[string, string], CeilingRelation>(
      "select m.member_id as owner, m.group_id as id, g.display_name as display from group_members m join groups g on g.tenant_id = m.tenant_id and g.id = m.group_id where m.tenant_id = ? and m.member_id in (select value from json_each(?)) order by m.member_id, m.group_id",
    ),
    groupByName: db.prepare<[string, string], CeilingRow>(`select ${rowColumns} from groups where tenant_id = ? and display_name_key = ?`),
    groupById: db.prepare<[string, string], CeilingRow>(`select ${rowColumns} from groups where tenant_id = ? and id = ?`),
    membersOfGroup: db.prepare<[string, string], CeilingRelation>(
      "select m.member_id as id, m.member_type as type, coalesce(nullif(json_extract(u.attributes, '$.displayName'), ''), u.user_name) as display from group_members m left join users u on u.tenant_id = m.tenant_id and u.id = m.member_id where m.tenant_id = ? and m.group_id = ? order by m.member_id",
    ),
    insertUser: db.prepare(
      "insert into users (tenant_id, id, user_name, user_name_key, external_id, active, created_at, last_modified_at, version, attributes) values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
    ),
    insertGroup: db.prepare(
      "insert into groups (tenant_id, id, display_name, display_name_key, external_id, created_at, last_modified_at, version, attributes) values (?, ?, ?, ?, ?, ?, ?, 1, ?)",
    ),
    patchUser: db.prepare<unknown[], CeilingRow>(
      `update users set attributes = json_set(attributes, '$.title', ?, '$.${enterprise}.department', ?, '$.phoneNumbers[0].value', ?), last_modified_at = ?, version = version + 1 where tenant_id = ? and id = ? returning ${rowColumns}`,
    ),
    replaceUser: db.prepare<unknown[], CeilingRow>(
      `update users set user_name = ?, user_name_key = ?, external_id = ?, active = ?, attributes = ?, last_modified_at = ?, version = version + 1 where tenant_id = ? and id = ? returning ${rowColumns}`,
    ),
    addMember: db.prepare("insert into group_members (tenant_id, group_id, member_id, member_type) values (?, ?, ?, 'User') on conflict do nothing"),
    removeMember: db.prepare("delete from group_members where tenant_id = ? and group_id = ? and member_id = ?"),
    touchGroup: db.prepare("update groups set version = version + 1, last_modified_at = ? where tenant_id = ? and id = ?"),
    workEmail: page("id in (select user_id from user_emails where tenant_id = ? and value_key = ? and type_key = 'work')"),
    // The same indexes Muster's filters use: the folded familyName key column, and the userName trigram table.
    familyNameStartsWith: page("family_name_key >= ? and family_name_key < ?"),
    userNameContains: page("rowid in (select rowid from users_user_name_trigrams where users_user_name_trigrams match ?) and instr(user_name_key, ?) > 0"),
    allByOffset: db.prepare<[string, number, number], CeilingRow>(`select ${rowColumns} from users where tenant_id = ? order by id limit ? offset ?`),
    allAfter: db.prepare<[string, string, number], CeilingRow>(`select ${rowColumns} from users where tenant_id = ? and id > ? order by id limit ?`),
    // The tenant's number of users as Muster keeps it (resource_counts, migrations 0006 and 0009), not count(*).
    countAll: db.prepare<[string], { total: number }>("select coalesce(sum(total), 0) as total from resource_counts where tenant_id = ? and resource_type = 'User'"),
  };
}

/** The SQLite ceiling's prepared statements. */
export type CeilingStatements = ReturnType<typeof prepareCeilingStatements>;
