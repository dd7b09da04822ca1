import type { Kysely, Selectable } from "kysely";
import { scimError } from "../../scim/errors.js";
import { foldCase } from "../../scim/fold.js";
import type { AdminSessionsTable, AdminSetupLinksTable, AdminsTable, Database } from "../schema.js";
import type { AdminRecord, AdminRepository, AdminSessionRecord, AdminSessionRepository, SetupLinkRecord, SetupLinkRepository } from "../store.js";
import type { SqlDialect } from "./dialect.js";

function adminFromRow(row: Selectable<AdminsTable>): AdminRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    created: row.created_at,
    ...(row.password_changed_at === null ? {} : { passwordChanged: row.password_changed_at }),
  };
}

function sessionFromRow(row: Selectable<AdminSessionsTable>): AdminSessionRecord {
  return {
    id: row.id,
    adminId: row.admin_id,
    csrfToken: row.csrf_token,
    created: row.created_at,
    lastSeen: row.last_seen_at,
    expires: row.expires_at,
    absoluteExpires: row.absolute_expires_at,
  };
}

function setupLinkFromRow(row: Selectable<AdminSetupLinksTable>): SetupLinkRecord {
  return {
    id: row.id,
    email: row.email,
    created: row.created_at,
    expires: row.expires_at,
    ...(row.admin_id === null ? {} : { adminId: row.admin_id }),
    ...(row.used_at === null ? {} : { used: row.used_at }),
  };
}

/** Console admin accounts, looked up by the case-folded email in `email_key`. */
export class SqlAdminRepository implements AdminRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  async create(admin: AdminRecord): Promise<AdminRecord> {
    try {
      await this.db
        .insertInto("admins")
        .values({
          id: admin.id,
          email: admin.email,
          email_key: foldCase(admin.email),
          password_hash: admin.passwordHash,
          created_at: admin.created,
          password_changed_at: admin.passwordChanged ?? null,
        })
        .execute();
    } catch (error) {
      if (this.dialect.uniqueViolation(error)?.includes("email_key")) throw scimError("uniqueness", `An admin with email "${admin.email}" already exists.`);
      throw error;
    }
    return admin;
  }

  async get(id: string): Promise<AdminRecord | undefined> {
    const row = await this.db.selectFrom("admins").selectAll().where("id", "=", id).executeTakeFirst();
    return row && adminFromRow(row);
  }

  async byEmail(email: string): Promise<AdminRecord | undefined> {
    const row = await this.db.selectFrom("admins").selectAll().where("email_key", "=", foldCase(email)).executeTakeFirst();
    return row && adminFromRow(row);
  }

  async list(): Promise<AdminRecord[]> {
    const rows = await this.db.selectFrom("admins").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(adminFromRow);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom("admins").select((eb) => eb.fn.countAll<number | bigint>().as("total")).executeTakeFirstOrThrow();
    return Number(row.total);
  }

  async setPassword(id: string, passwordHash: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable("admins").set({ password_hash: passwordHash, password_changed_at: at }).where("id", "=", id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

/** Console sessions, keyed by the digest of the cookie's secret. */
export class SqlAdminSessionRepository implements AdminSessionRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async create(session: AdminSessionRecord): Promise<AdminSessionRecord> {
    await this.db
      .insertInto("admin_sessions")
      .values({
        id: session.id,
        admin_id: session.adminId,
        csrf_token: session.csrfToken,
        created_at: session.created,
        last_seen_at: session.lastSeen,
        expires_at: session.expires,
        absolute_expires_at: session.absoluteExpires,
      })
      .execute();
    return session;
  }

  async get(id: string): Promise<AdminSessionRecord | undefined> {
    const row = await this.db.selectFrom("admin_sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async touch(id: string, lastSeen: string, expires: string): Promise<boolean> {
    const result = await this.db.updateTable("admin_sessions").set({ last_seen_at: lastSeen, expires_at: expires }).where("id", "=", id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("admin_sessions").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForAdmin(adminId: string, keepId?: string): Promise<number> {
    let query = this.db.deleteFrom("admin_sessions").where("admin_id", "=", adminId);
    if (keepId !== undefined) query = query.where("id", "!=", keepId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom("admin_sessions").where("expires_at", "<=", now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** One-time setup links, keyed by the digest of the link's secret. */
export class SqlSetupLinkRepository implements SetupLinkRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async create(link: SetupLinkRecord): Promise<SetupLinkRecord> {
    await this.db
      .insertInto("admin_setup_links")
      .values({ id: link.id, email: link.email, admin_id: link.adminId ?? null, created_at: link.created, expires_at: link.expires, used_at: link.used ?? null })
      .execute();
    return link;
  }

  async get(id: string): Promise<SetupLinkRecord | undefined> {
    const row = await this.db.selectFrom("admin_setup_links").selectAll().where("id", "=", id).executeTakeFirst();
    return row && setupLinkFromRow(row);
  }

  async markUsed(id: string, adminId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("admin_setup_links")
      .set({ admin_id: adminId, used_at: at })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom("admin_setup_links").where("expires_at", "<=", now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
