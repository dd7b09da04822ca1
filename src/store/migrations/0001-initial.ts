import { sql, type CreateTableBuilder, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/**
 * Version 1 of the schema: tenants, tokens, settings, users (+ user_emails), groups (+ group_members),
 * and the SQL functions the dialect needs. `tenant_id` leads every key and index, so each tenant's rows
 * form contiguous index ranges. Column types come from the dialect (on SQLite they are the plain types
 * this migration always had; PostgreSQL gets jsonb, boolean and text in code point order).
 */
export function initialMigration(dialect: SqlDialect): Migration {
  const json = sql.raw(dialect.columnTypes.json);
  const boolean = sql.raw(dialect.columnTypes.boolean);
  const text = sql.raw(dialect.columnTypes.text);
  // Membership and email rows are a few dozen bytes: clustering them by primary key saves an index.
  const compact = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect.supportsWithoutRowid ? table.modifyEnd(sql`without rowid`) : table;

  return {
    async up(db: Kysely<any>): Promise<void> {
      for (const statement of dialect.functions) await statement.execute(db);

      await db.schema
        .createTable("tenants")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("slug", text, (c) => c.notNull().unique())
        .addColumn("name", text, (c) => c.notNull())
        .addColumn("created_at", text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("tokens")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
        .addColumn("client_name", text, (c) => c.notNull())
        .addColumn("hint", text, (c) => c.notNull())
        .addColumn("secret_hash", text, (c) => c.notNull())
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("last_used_at", text)
        .addColumn("revoked_at", text)
        .execute();
      await db.schema.createIndex("tokens_tenant_created").on("tokens").columns(["tenant_id", "created_at"]).execute();

      await db.schema
        .createTable("settings")
        .addColumn("key", text, (c) => c.primaryKey())
        .addColumn("value", text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("users")
        .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("user_name", text, (c) => c.notNull())
        .addColumn("user_name_key", text, (c) => c.notNull())
        .addColumn("external_id", text)
        .addColumn("active", boolean)
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("last_modified_at", text, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("password_hash", text)
        .addColumn("attributes", json, (c) => c.notNull())
        .addPrimaryKeyConstraint("users_pkey", ["tenant_id", "id"])
        .addUniqueConstraint("users_user_name_key_unique", ["tenant_id", "user_name_key"])
        .execute();
      // `id` ends each index so sorting by the column with id as tie-breaker, and keyset paging, read the index in order.
      for (const column of ["external_id", "active", "created_at", "last_modified_at"]) {
        await db.schema.createIndex(`users_${column}`).on("users").columns(["tenant_id", column, "id"]).execute();
      }

      await compact(
        db.schema
          .createTable("user_emails")
          .addColumn("tenant_id", text, (c) => c.notNull())
          .addColumn("user_id", text, (c) => c.notNull())
          .addColumn("position", "integer", (c) => c.notNull())
          .addColumn("value", text)
          .addColumn("value_key", text)
          .addColumn("type_key", text)
          .addColumn("is_primary", boolean)
          .addPrimaryKeyConstraint("user_emails_pkey", ["tenant_id", "user_id", "position"])
          .addForeignKeyConstraint("user_emails_user_fkey", ["tenant_id", "user_id"], "users", ["tenant_id", "id"], (fk) => fk.onDelete("cascade")),
      ).execute();
      // Covers every filterable email column, so `emails[type eq "work"].value eq …` is answered from this index alone.
      await db.schema.createIndex("user_emails_value_key").on("user_emails").columns(["tenant_id", "value_key", "user_id", "type_key", "is_primary"]).execute();

      await db.schema
        .createTable("groups")
        .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("display_name", text, (c) => c.notNull())
        .addColumn("display_name_key", text, (c) => c.notNull())
        .addColumn("external_id", text)
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("last_modified_at", text, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("attributes", json, (c) => c.notNull())
        .addPrimaryKeyConstraint("groups_pkey", ["tenant_id", "id"])
        .addUniqueConstraint("groups_display_name_key_unique", ["tenant_id", "display_name_key"])
        .execute();
      for (const column of ["external_id", "created_at", "last_modified_at"]) {
        await db.schema.createIndex(`groups_${column}`).on("groups").columns(["tenant_id", column, "id"]).execute();
      }

      await compact(
        db.schema
          .createTable("group_members")
          .addColumn("tenant_id", text, (c) => c.notNull())
          .addColumn("group_id", text, (c) => c.notNull())
          .addColumn("member_id", text, (c) => c.notNull())
          .addColumn("member_type", text, (c) => c.notNull().check(sql`member_type in ('User', 'Group')`))
          .addPrimaryKeyConstraint("group_members_pkey", ["tenant_id", "group_id", "member_id"])
          .addForeignKeyConstraint("group_members_group_fkey", ["tenant_id", "group_id"], "groups", ["tenant_id", "id"], (fk) => fk.onDelete("cascade")),
      ).execute();
      await db.schema.createIndex("group_members_member").on("group_members").columns(["tenant_id", "member_id", "group_id", "member_type"]).execute();
    },
  };
}
