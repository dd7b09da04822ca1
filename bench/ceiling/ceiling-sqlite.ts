import BetterSqlite3 from "better-sqlite3";
import { prefixSuccessor } from "../../src/store/sql/text-range.js";
import { prepareCeilingStatements, type CeilingStatements } from "./ceiling-statements.js";
import type { CeilingFilter, CeilingGroupWrite, CeilingPage, CeilingRelation, CeilingRow, CeilingStorage, CeilingUserPatch, CeilingUserWrite } from "./ceiling-storage.js";

const sqliteBoolean = (value: boolean | null) => (value === null ? null : Number(value));

/** The ceiling's storage on a SQLite file, through better-sqlite3 with Muster's durability settings. */
class SqliteCeilingStorage implements CeilingStorage {
  private readonly db: BetterSqlite3.Database;
  private readonly sql: CeilingStatements;
  private readonly tenantId: string;

  constructor(db: BetterSqlite3.Database, sql: CeilingStatements, tenantId: string) {
    this.db = db;
    this.sql = sql;
    this.tenantId = tenantId;
  }

  async userByName(userNameKey: string): Promise<CeilingRow | undefined> {
    return this.sql.userByName.get(this.tenantId, userNameKey);
  }

  async userById(id: string): Promise<CeilingRow | undefined> {
    return this.sql.userById.get(this.tenantId, id);
  }

  async groupsOfUsers(userIds: readonly string[]): Promise<CeilingRelation[]> {
    return this.sql.groupsOfUsers.all(this.tenantId, JSON.stringify(userIds));
  }

  async filteredUsers(filter: CeilingFilter, count: number): Promise<CeilingPage> {
    const [statements, args] = this.filterArgs(filter);
    const rows = statements.rows.all(this.tenantId, ...args, count);
    const total = rows.length < count ? rows.length : (statements.count.get(this.tenantId, ...args)?.total ?? 0);
    return { total, rows };
  }

  private filterArgs(filter: CeilingFilter): [CeilingStatements["workEmail"], unknown[]] {
    switch (filter.kind) {
      case "workEmail":
        return [this.sql.workEmail, [this.tenantId, filter.email]];
      case "familyNameStartsWith":
        return [this.sql.familyNameStartsWith, [filter.prefix, prefixSuccessor(filter.prefix) ?? "\u{10ffff}"]];
      case "userNameContains":
        // A quoted FTS5 phrase matches the rows containing it; instr() keeps needles shorter than a trigram exact.
        return [this.sql.userNameContains, [`"${filter.needle.replaceAll('"', '""')}"`, filter.needle]];
    }
  }

  async countUsers(): Promise<number> {
    return this.sql.countAll.get(this.tenantId)?.total ?? 0;
  }

  async usersByOffset(count: number, offset: number): Promise<CeilingRow[]> {
    return this.sql.allByOffset.all(this.tenantId, count, offset);
  }

  async usersAfter(cursor: string, count: number): Promise<CeilingRow[]> {
    return this.sql.allAfter.all(this.tenantId, cursor, count);
  }

  async insertUser(id: string, now: string, user: CeilingUserWrite): Promise<void> {
    this.sql.insertUser.run(this.tenantId, id, user.userName, user.userNameKey, user.externalId, sqliteBoolean(user.active), now, now, user.attributes);
  }

  async patchUser(id: string, now: string, values: CeilingUserPatch): Promise<CeilingRow | undefined> {
    return this.sql.patchUser.get(values[0], values[1], values[2], now, this.tenantId, id);
  }

  async replaceUser(id: string, now: string, user: CeilingUserWrite): Promise<CeilingRow | undefined> {
    return this.sql.replaceUser.get(user.userName, user.userNameKey, user.externalId, sqliteBoolean(user.active), user.attributes, now, this.tenantId, id);
  }

  async groupByName(displayNameKey: string): Promise<CeilingRow | undefined> {
    return this.sql.groupByName.get(this.tenantId, displayNameKey);
  }

  async groupById(id: string): Promise<CeilingRow | undefined> {
    return this.sql.groupById.get(this.tenantId, id);
  }

  async membersOfGroup(groupId: string): Promise<CeilingRelation[]> {
    return this.sql.membersOfGroup.all(this.tenantId, groupId);
  }

  async insertGroup(id: string, now: string, group: CeilingGroupWrite): Promise<void> {
    this.sql.insertGroup.run(this.tenantId, id, group.displayName, group.displayNameKey, group.externalId, now, now, group.attributes);
  }

  async changeMembers(groupId: string, now: string, changes: readonly { readonly add: boolean; readonly memberId: string }[]): Promise<void> {
    this.db
      .transaction(() => {
        for (const change of changes) (change.add ? this.sql.addMember : this.sql.removeMember).run(this.tenantId, groupId, change.memberId);
        this.sql.touchGroup.run(now, this.tenantId, groupId);
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Opens the SQLite file as Muster does (WAL, synchronous=FULL) for the tenant with this slug. */
export function openSqliteCeilingStorage(file: string, tenantSlug: string): CeilingStorage {
  const db = new BetterSqlite3(file, { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    const sql = prepareCeilingStatements(db);
    const tenant = sql.tenantBySlug.get(tenantSlug);
    if (!tenant) throw new Error(`the database has no tenant "${tenantSlug}"`);
    return new SqliteCeilingStorage(db, sql, tenant.id);
  } catch (error) {
    db.close();
    throw error;
  }
}
