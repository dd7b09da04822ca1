import type { Kysely } from "kysely";
import { scimError } from "../../scim/errors.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { Database } from "../schema.js";
import type { GroupRef, ListPage, ListQuery, LookupOptions, StoredPage, MemberRef, MemberView, NewResource, ResourceRecord, ResourceRepository, ResourceUpdate } from "../store.js";
import type { SqlDialect } from "./dialect.js";
import { listResources, listStoredResources } from "./list-resources.js";
import { SqlMembership } from "./membership.js";
import type { PagePositions } from "./page-positions.js";
import { checkStorableText, emailRows, groupColumns, recordFromRow, sameEmailRows, tableOf, userColumns } from "./resource-rows.js";
import { insertSearchTerms, updateSearchTerms, writeSearchTerms } from "./search-terms.js";

const recordColumns = ["tenant_id", "id", "created_at", "last_modified_at", "version", "attributes"] as const;

/**
 * Users and Groups of one database session; every statement names the tenant. With `lockRows` (a write
 * session on a database without a global write lock) `get` locks the row until the transaction ends, so
 * read-modify-write cycles of one resource from several nodes take turns instead of failing each other.
 */
export class SqlResourceRepository implements ResourceRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly lockRows: boolean;
  private readonly membership: SqlMembership;
  private readonly positions: PagePositions | undefined;

  /** `positions` only for read sessions: a write transaction's view may still roll back. */
  constructor(db: Kysely<Database>, dialect: SqlDialect, lockRows = false, positions?: PagePositions) {
    this.db = db;
    this.dialect = dialect;
    this.lockRows = lockRows;
    this.positions = positions;
    this.membership = new SqlMembership(db, dialect, lockRows);
  }

  async get(type: ResourceTypeName, tenantId: string, id: string): Promise<ResourceRecord | undefined> {
    const row = await this.db
      .selectFrom(tableOf(type) as "users")
      .select(recordColumns)
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .$if(this.lockRows, (query) => query.forUpdate())
      .executeTakeFirst();
    return row && recordFromRow(type, row);
  }

  async insert(resource: NewResource): Promise<ResourceRecord> {
    const { tenantId, id, type, attributes, created } = resource;
    checkStorableText(attributes, type);
    const common = { tenant_id: tenantId, id, created_at: created, last_modified_at: created, version: 1, attributes: JSON.stringify(attributes) };
    try {
      if (type === "User") {
        await this.db
          .insertInto("users")
          .values({ ...common, ...userColumns(attributes, this.dialect), password_hash: resource.passwordHash ?? null })
          .execute();
        await this.insertEmails(tenantId, id, attributes);
      } else {
        await this.db.insertInto("groups").values({ ...common, ...groupColumns(attributes) }).execute();
      }
    } catch (error) {
      throw this.translateUnique(error, type, attributes);
    }
    await insertSearchTerms(this.db, tenantId, type, id, attributes);
    return { tenantId, id, type, attributes, created, lastModified: created, version: 1 };
  }

  async update(update: ResourceUpdate): Promise<ResourceRecord> {
    const { tenantId, id, type, attributes, lastModified, expectedVersion, previous } = update;
    checkStorableText(attributes, type);
    const common = { last_modified_at: lastModified, attributes: JSON.stringify(attributes) };
    // The row is written with the caller's document and version + 1: only created_at is not known here.
    let row;
    try {
      if (type === "User") {
        const password = update.passwordHash === undefined ? {} : { password_hash: update.passwordHash };
        row = await this.db
          .updateTable("users")
          .set((eb) => ({ ...common, ...userColumns(attributes, this.dialect), ...password, version: eb("version", "+", 1) }))
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .where("version", "=", expectedVersion)
          .returning("created_at")
          .executeTakeFirst();
      } else {
        row = await this.db
          .updateTable("groups")
          .set((eb) => ({ ...common, ...groupColumns(attributes), version: eb("version", "+", 1) }))
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .where("version", "=", expectedVersion)
          .returning("created_at")
          .executeTakeFirst();
      }
    } catch (error) {
      throw this.translateUnique(error, type, attributes);
    }
    if (!row) {
      const current = await this.get(type, tenantId, id);
      if (!current) throw scimError("notFound", `${type} "${id}" not found.`);
      throw scimError("preconditionFailed", `${type} "${id}" has version ${current.version}, not ${expectedVersion}; read it again and retry.`);
    }
    if (type === "User" && (previous === undefined || !sameEmailRows(previous, attributes, this.dialect))) {
      // The email rows mirror the document: replace them with the new elements in the same transaction.
      await this.db.deleteFrom("user_emails").where("tenant_id", "=", tenantId).where("user_id", "=", id).execute();
      await this.insertEmails(tenantId, id, attributes);
    }
    if (previous === undefined) await writeSearchTerms(this.db, tenantId, type, id, attributes);
    else await updateSearchTerms(this.db, this.dialect, tenantId, type, id, previous, attributes);
    return { tenantId, id, type, attributes, created: row.created_at, lastModified, version: expectedVersion + 1 };
  }

  async touch(type: ResourceTypeName, tenantId: string, id: string, lastModified: string): Promise<ResourceRecord | undefined> {
    const row = await this.db
      .updateTable(tableOf(type) as "users")
      .set((eb) => ({ last_modified_at: lastModified, version: eb("version", "+", 1) }))
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .returning(recordColumns)
      .executeTakeFirst();
    return row && recordFromRow(type, row);
  }

  async delete(type: ResourceTypeName, tenantId: string, id: string): Promise<boolean> {
    // Explicit deletes rather than relying on ON DELETE CASCADE: member_id has no foreign key (it names a User or a Group).
    // The change feed records one removal per group the resource was a member of (migration 0010).
    await this.db.deleteFrom("group_members").where("tenant_id", "=", tenantId).where("member_id", "=", id).execute();
    if (type === "User") await this.db.deleteFrom("user_emails").where("tenant_id", "=", tenantId).where("user_id", "=", id).execute();
    await writeSearchTerms(this.db, tenantId, type, id, undefined);
    // The row before a group's own members: the feed records the group's deletion, not a removal per member.
    const result = await this.db
      .deleteFrom(tableOf(type) as "users")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (type === "Group") await this.db.deleteFrom("group_members").where("tenant_id", "=", tenantId).where("group_id", "=", id).execute();
    return Number(result.numDeletedRows) > 0;
  }

  list(type: ResourceTypeName, tenantId: string, query: ListQuery): Promise<ListPage> {
    return listResources(this.db, this.dialect, type, tenantId, query, this.positions);
  }

  listStored(type: ResourceTypeName, tenantId: string, query: ListQuery, options: LookupOptions): Promise<StoredPage> {
    return listStoredResources(this.db, this.dialect, type, tenantId, query, options, this.positions);
  }

  findMembers(tenantId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>> {
    return this.membership.findMembers(tenantId, ids);
  }

  addFoundMembers(tenantId: string, groupId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>> {
    return this.membership.addFoundMembers(tenantId, groupId, ids);
  }

  addMembers(tenantId: string, groupId: string, members: readonly MemberRef[]): Promise<number> {
    return this.membership.addMembers(tenantId, groupId, members);
  }

  removeMembers(tenantId: string, groupId: string, ids: readonly string[]): Promise<number> {
    return this.membership.removeMembers(tenantId, groupId, ids);
  }

  removeMembersWhere(tenantId: string, groupId: string, filter: ResolvedFilter): Promise<number> {
    return this.membership.removeMembersWhere(tenantId, groupId, filter);
  }

  clearMembers(tenantId: string, groupId: string): Promise<number> {
    return this.membership.clearMembers(tenantId, groupId);
  }

  membersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, MemberView[]>> {
    return this.membership.membersOf(tenantId, groupIds);
  }

  countMembers(tenantId: string, groupId: string): Promise<number> {
    return this.membership.countMembers(tenantId, groupId);
  }

  countMembersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, number>> {
    return this.membership.countMembersOf(tenantId, groupIds);
  }

  pageMembers(tenantId: string, groupId: string, page: { readonly after?: string; readonly count: number }): Promise<MemberView[]> {
    return this.membership.pageMembers(tenantId, groupId, page);
  }

  groupsOf(tenantId: string, memberIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    return this.membership.groupsOf(tenantId, memberIds);
  }

  private async insertEmails(tenantId: string, userId: string, attributes: JsonObject): Promise<void> {
    const rows = emailRows(tenantId, userId, attributes, this.dialect);
    if (rows.length > 0) await this.db.insertInto("user_emails").values(rows).execute();
  }

  /** A unique violation on the case-folded name becomes the SCIM uniqueness error (RFC 7644 §3.3, 409). */
  private translateUnique(error: unknown, type: ResourceTypeName, attributes: JsonObject): unknown {
    const columns = this.dialect.uniqueViolation(error);
    if (columns?.includes("user_name_key")) {
      return scimError("uniqueness", `userName ${JSON.stringify(attributes["userName"])} is already taken in this tenant.`);
    }
    if (columns?.includes("display_name_key")) {
      return scimError("uniqueness", `${type} displayName ${JSON.stringify(attributes["displayName"])} is already taken in this tenant.`);
    }
    return error;
  }
}
