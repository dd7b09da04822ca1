import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { derivedTables, transferTables, untransferredTables } from "../sql/transfer-tables.js";
import { openSqliteStore } from "./open-sqlite-store.js";

describe("transfer catalog", () => {
  it("names every table and column the migrations create, and nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muster-catalog-"));
    try {
      const file = join(dir, "muster.db");
      await (await openSqliteStore(file)).close();
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file, { readonly: true }) }) });
      const tables = await db.introspection.getTables();
      await db.destroy();
      // A derived table and its shadow tables (`<name>_data`, …) are the target's own index, not data to copy.
      const derived = (name: string) => Object.keys(derivedTables).some((table) => name === table || name.startsWith(`${table}_`));
      const created = Object.fromEntries(tables.filter((table) => !derived(table.name)).map((table) => [table.name, table.columns.map((column) => column.name).sort()]));
      expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(Object.keys(derivedTables)));
      const catalogued = Object.fromEntries(transferTables.map((table) => [table.name, Object.keys(table.columns).sort()]));
      for (const name of Object.keys(untransferredTables)) catalogued[name] = created[name]!;
      expect(catalogued).toEqual(created);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("orders every key by columns of the table, and lists parents before the tables that reference them", () => {
    for (const table of transferTables) expect(table.key.every((column) => column in table.columns), table.name).toBe(true);
    const position = (name: string) => transferTables.findIndex((table) => table.name === name);
    const references: [string, string][] = [["tokens", "tenants"], ["users", "tenants"], ["groups", "tenants"], ["user_emails", "users"], ["group_members", "groups"], ["admin_setup_links", "admins"]];
    for (const [child, parent] of references) {
      expect(position(child), `${child} after ${parent}`).toBeGreaterThan(position(parent));
    }
  });
});
