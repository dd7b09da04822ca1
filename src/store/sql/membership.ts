import { sql, type Kysely } from "kysely";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { Database } from "../schema.js";
import type { GroupRef, MemberRef, MemberView } from "../store.js";
import { compileElementFilter } from "./compile-filter.js";
import type { SqlDialect } from "./dialect.js";
import { memberDisplay, memberField } from "./layout.js";

const members = "m";

/**
 * Group membership as rows of group_members: every change is an insert or delete of the rows concerned,
 * never a rewrite of the group, so a group of 100,000 members costs what its changes cost. Every
 * statement is bounded by tenant_id.
 */
export class SqlMembership {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly lockRows: boolean;

  constructor(db: Kysely<Database>, dialect: SqlDialect, lockRows = false) {
    this.db = db;
    this.dialect = dialect;
    this.lockRows = lockRows;
  }

  /**
   * Which ids are Users or Groups of the tenant, in one statement. With `lockRows` the found rows stay
   * key-share locked until the transaction ends: a concurrent DELETE of a member (which locks it first)
   * waits, so it cannot miss the membership row this transaction adds.
   */
  async findMembers(tenantId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>> {
    const found = new Map<string, ResourceTypeName>();
    if (ids.length === 0) return found;
    const rows = await this.foundResources(tenantId, [...new Set(ids)])
      .selectFrom("found_users")
      .select(["id", sql<ResourceTypeName>`${sql.lit("User")}`.as("type")])
      .unionAll((eb) => eb.selectFrom("found_groups").select(["id", sql<ResourceTypeName>`${sql.lit("Group")}`.as("type")]))
      .execute();
    for (const row of rows) found.set(row.id, row.type);
    return found;
  }

  /**
   * Adds those of `ids` that are Users or Groups of the tenant and not members yet, in one INSERT …
   * SELECT (locking what it finds as findMembers does); returns the ids added with what they are.
   */
  async addFoundMembers(tenantId: string, groupId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>> {
    const added = new Map<string, ResourceTypeName>();
    if (ids.length === 0) return added;
    const rows = await this.foundResources(tenantId, [...new Set(ids)])
      .with("found", (db) =>
        db
          .selectFrom("found_users")
          .select(["id", sql<string>`${sql.lit("User")}`.as("type")])
          .unionAll((eb) => eb.selectFrom("found_groups").select(["id", sql<string>`${sql.lit("Group")}`.as("type")])),
      )
      .insertInto("group_members")
      .columns(["tenant_id", "group_id", "member_id", "member_type"])
      // SQLite needs a WHERE in an INSERT … SELECT with ON CONFLICT, or it reads ON as a join's.
      .expression((eb) => eb.selectFrom("found").select([sql<string>`${tenantId}`.as("tenant_id"), sql<string>`${groupId}`.as("group_id"), "id", "type"]).where(sql<boolean>`1 = 1`))
      .onConflict((conflict) => conflict.columns(["tenant_id", "group_id", "member_id"]).doNothing())
      .returning(["member_id", "member_type"])
      .execute();
    for (const row of rows) added.set(row.member_id, row.member_type as ResourceTypeName);
    return added;
  }

  /** The tenant's users and groups among `ids` as the WITH queries found_users and found_groups (PostgreSQL refuses a locking clause next to UNION, not inside WITH). */
  private foundResources(tenantId: string, ids: readonly string[]) {
    return this.db
      .with("found_users", (db) =>
        db.selectFrom("users").select("id").where("tenant_id", "=", tenantId).where(this.dialect.inList(sql.ref("id"), ids)).$if(this.lockRows, (query) => query.forKeyShare()),
      )
      .with("found_groups", (db) =>
        db.selectFrom("groups").select("id").where("tenant_id", "=", tenantId).where(this.dialect.inList(sql.ref("id"), ids)).$if(this.lockRows, (query) => query.forKeyShare()),
      );
  }

  /** Inserts the rows that are not there yet; returns how many were inserted. */
  async addMembers(tenantId: string, groupId: string, refs: readonly MemberRef[]): Promise<number> {
    const rows = [...new Map(refs.map((ref) => [ref.value, ref])).values()].map((ref) => ({
      tenant_id: tenantId,
      group_id: groupId,
      member_id: ref.value,
      member_type: ref.type,
    }));
    let added = 0;
    // Four parameters a row; chunks keep each statement well inside the dialect's parameter limit.
    const chunk = Math.max(1, Math.min(500, Math.floor(this.dialect.maxParameters / 4)));
    for (let start = 0; start < rows.length; start += chunk) {
      const result = await this.db
        .insertInto("group_members")
        .values(rows.slice(start, start + chunk))
        .onConflict((conflict) => conflict.columns(["tenant_id", "group_id", "member_id"]).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  }

  async removeMembers(tenantId: string, groupId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .deleteFrom("group_members")
      .where("tenant_id", "=", tenantId)
      .where("group_id", "=", groupId)
      .where(this.dialect.inList(sql.ref("member_id"), [...new Set(ids)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes the members matching a filter over value, type and display (a PATCH `members[…]` remove). */
  async removeMembersWhere(tenantId: string, groupId: string, filter: ResolvedFilter): Promise<number> {
    const condition = compileElementFilter(filter, this.dialect, (sub) => memberField(this.dialect, members, sub));
    const result = await this.db
      .deleteFrom("group_members as m")
      .where("m.tenant_id", "=", tenantId)
      .where("m.group_id", "=", groupId)
      .where(condition)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async clearMembers(tenantId: string, groupId: string): Promise<number> {
    const result = await this.db.deleteFrom("group_members").where("tenant_id", "=", tenantId).where("group_id", "=", groupId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async countMembers(tenantId: string, groupId: string): Promise<number> {
    const row = await this.db
      .selectFrom("group_members")
      .select((eb) => eb.fn.countAll<number | bigint>().as("total"))
      .where("tenant_id", "=", tenantId)
      .where("group_id", "=", groupId)
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  /** Member counts of several groups: one grouped COUNT over the (tenant_id, group_id, member_id) key. */
  async countMembersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>(groupIds.map((id) => [id, 0]));
    if (groupIds.length === 0) return result;
    const rows = await this.db
      .selectFrom("group_members")
      .select((eb) => ["group_id", eb.fn.countAll<number | bigint>().as("total")])
      .where("tenant_id", "=", tenantId)
      .where(this.dialect.inList(sql.ref("group_id"), [...new Set(groupIds)]))
      .groupBy("group_id")
      .execute();
    for (const row of rows) result.set(row.group_id, Number(row.total));
    return result;
  }

  /** A page of one group's members after member id `after`, in member-id order: a range of the primary key, however large the group. */
  async pageMembers(tenantId: string, groupId: string, page: { readonly after?: string; readonly count: number }): Promise<MemberView[]> {
    if (page.count <= 0) return [];
    let query = this.db
      .selectFrom("group_members as m")
      .select(["m.member_id", "m.member_type", sql<string | null>`${memberDisplay(this.dialect, members)}`.as("display")])
      .where("m.tenant_id", "=", tenantId)
      .where("m.group_id", "=", groupId)
      .orderBy("m.member_id")
      .limit(page.count);
    if (page.after !== undefined) query = query.where("m.member_id", ">", page.after);
    const rows = await query.execute();
    return rows.map((row) => ({ value: row.member_id, type: row.member_type as ResourceTypeName, ...(row.display === null ? {} : { display: row.display }) }));
  }

  /** Members of each group (every requested group has an entry), ordered by member id, with current display names. */
  async membersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, MemberView[]>> {
    const result = new Map<string, MemberView[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return result;
    const rows = await this.db
      .selectFrom("group_members as m")
      .select(["m.group_id", "m.member_id", "m.member_type", sql<string | null>`${memberDisplay(this.dialect, members)}`.as("display")])
      .where("m.tenant_id", "=", tenantId)
      .where(this.dialect.inList(sql.ref("m.group_id"), [...new Set(groupIds)]))
      .orderBy("m.group_id")
      .orderBy("m.member_id")
      .execute();
    for (const row of rows) {
      const view: MemberView = { value: row.member_id, type: row.member_type as ResourceTypeName, ...(row.display === null ? {} : { display: row.display }) };
      result.get(row.group_id)?.push(view);
    }
    return result;
  }

  /** Direct groups of each member (every requested id has an entry), ordered by group id. */
  async groupsOf(tenantId: string, memberIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    const result = new Map<string, GroupRef[]>(memberIds.map((id) => [id, []]));
    if (memberIds.length === 0) return result;
    const rows = await this.db
      .selectFrom("group_members as m")
      .innerJoin("groups as g", (join) => join.onRef("g.tenant_id", "=", "m.tenant_id").onRef("g.id", "=", "m.group_id"))
      .select(["m.member_id", "m.group_id", "g.display_name"])
      .where("m.tenant_id", "=", tenantId)
      .where(this.dialect.inList(sql.ref("m.member_id"), [...new Set(memberIds)]))
      .orderBy("m.member_id")
      .orderBy("m.group_id")
      .execute();
    for (const row of rows) result.get(row.member_id)?.push({ value: row.group_id, display: row.display_name });
    return result;
  }
}
