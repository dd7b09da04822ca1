import type { Kysely, Selectable } from "kysely";
import { scimError } from "../../scim/errors.js";
import type { Database, TenantsTable, TokensTable } from "../schema.js";
import type { SettingsRepository, TenantRecord, TenantRepository, TokenRecord, TokenRepository } from "../store.js";
import type { SqlDialect } from "./dialect.js";

function tenantFromRow(row: Selectable<TenantsTable>): TenantRecord {
  return { id: row.id, slug: row.slug, name: row.name, created: row.created_at };
}

function tokenFromRow(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientName: row.client_name,
    hint: row.hint,
    secretHash: row.secret_hash,
    created: row.created_at,
    ...(row.last_used_at === null ? {} : { lastUsed: row.last_used_at }),
    ...(row.revoked_at === null ? {} : { revoked: row.revoked_at }),
  };
}

/** Every table with a tenant's rows besides tenants itself, children before the rows they belong to. */
const tenantTables = ["group_members", "user_emails", "search_terms", "users", "groups", "tokens", "activity", "changes"] as const;

/** Tenants, ordered by creation. */
export class SqlTenantRepository implements TenantRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly lockRows: boolean;

  constructor(db: Kysely<Database>, dialect: SqlDialect, lockRows = false) {
    this.db = db;
    this.dialect = dialect;
    this.lockRows = lockRows;
  }

  async create(tenant: TenantRecord): Promise<TenantRecord> {
    try {
      await this.db.insertInto("tenants").values({ id: tenant.id, slug: tenant.slug, name: tenant.name, created_at: tenant.created }).execute();
    } catch (error) {
      if (this.dialect.uniqueViolation(error)?.includes("slug")) throw scimError("uniqueness", `Tenant slug "${tenant.slug}" is already taken.`);
      throw error;
    }
    return tenant;
  }

  async bySlug(slug: string): Promise<TenantRecord | undefined> {
    const row = await this.db.selectFrom("tenants").selectAll().where("slug", "=", slug).executeTakeFirst();
    return row && tenantFromRow(row);
  }

  async list(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom("tenants").selectAll().orderBy("created_at").orderBy("slug").execute();
    return rows.map(tenantFromRow);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom("tenants").select((eb) => eb.fn.countAll<number | bigint>().as("total")).executeTakeFirstOrThrow();
    return Number(row.total);
  }

  async rename(id: string, name: string): Promise<TenantRecord | undefined> {
    const row = await this.db.updateTable("tenants").set({ name }).where("id", "=", id).returningAll().executeTakeFirst();
    return row && tenantFromRow(row);
  }

  async delete(id: string): Promise<boolean> {
    // Lock the tenant first: an insert into it (its foreign-key check share-locks the tenant) either commits before the rows are deleted or waits and then fails.
    if (this.lockRows) await this.db.selectFrom("tenants").select("id").where("id", "=", id).forUpdate().execute();
    // The tenant row first: the change feed's triggers record nothing for a tenant that no longer exists
    // (migration 0010), so neither its cascades nor the deletes below fill the feed with a million
    // deletions about to be deleted themselves.
    const result = await this.db.deleteFrom("tenants").where("id", "=", id).executeTakeFirst();
    // Then every child table by its tenant_id-leading key; explicit rather than only cascades, because
    // group_members.member_id, search_terms, activity and changes have no foreign key to follow.
    for (const table of tenantTables) await this.db.deleteFrom(table).where("tenant_id", "=", id).execute();
    return Number(result.numDeletedRows) > 0;
  }
}

/** SCIM client tokens. */
export class SqlTokenRepository implements TokenRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async create(token: TokenRecord): Promise<TokenRecord> {
    await this.db
      .insertInto("tokens")
      .values({
        id: token.id,
        tenant_id: token.tenantId,
        client_name: token.clientName,
        hint: token.hint,
        secret_hash: token.secretHash,
        created_at: token.created,
        last_used_at: token.lastUsed ?? null,
        revoked_at: token.revoked ?? null,
      })
      .execute();
    return token;
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst();
    return row && tokenFromRow(row);
  }

  async list(tenantId: string): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom("tokens").selectAll().where("tenant_id", "=", tenantId).orderBy("created_at").orderBy("id").execute();
    return rows.map(tokenFromRow);
  }

  async revoke(tenantId: string, id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("tokens")
      .set({ revoked_at: at })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async recordUse(uses: ReadonlyMap<string, string>): Promise<void> {
    for (const [id, at] of uses) {
      await this.db
        .updateTable("tokens")
        .set({ last_used_at: at })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
        .execute();
    }
  }
}

/** Installation-wide settings. */
export class SqlSettingsRepository implements SettingsRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
    return row?.value;
  }

  async setIfAbsent(key: string, value: string): Promise<string> {
    await this.db.insertInto("settings").values({ key, value }).onConflict((conflict) => conflict.column("key").doNothing()).execute();
    const stored = await this.get(key);
    return stored ?? value;
  }
}

