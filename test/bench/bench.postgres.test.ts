import { describe, expect, it } from "vitest";
import { benchDatabaseName, copyTenantToPostgres, recreateBenchDatabase } from "../../bench/dataset/postgres-tenant.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../../src/store/testing/test-database.js";
import { describeBenchSmoke } from "./bench-smoke.js";

const silent = { write: () => true };

describeBenchSmoke("bench on PostgreSQL", async (dataset, workDir) => {
  const url = await createTestPostgresDatabase();
  try {
    const copy = await copyTenantToPostgres(dataset, url, workDir, silent);
    expect(copy.rows).toBeGreaterThan(500);
  } catch (error) {
    await dropTestPostgresDatabase(url);
    throw error;
  }
  return { musterUrl: url, ceilingDatabase: url, concurrentLoad: false, remove: () => dropTestPostgresDatabase(url) };
});

describe("bench database on PostgreSQL", () => {
  it("refuses to drop a database with tables that the bench did not create", async () => {
    const url = await createTestPostgresDatabase({ migrated: true });
    try {
      await expect(recreateBenchDatabase(url)).rejects.toThrow(/holds tables and was not created by the bench/);
    } finally {
      await dropTestPostgresDatabase(url);
    }
  });

  it("refuses the maintenance and template databases as --db", () => {
    for (const name of ["postgres", "template1"]) expect(() => benchDatabaseName(`postgres://bench@127.0.0.1:5432/${name}`)).toThrow(/will not drop/);
    expect(() => benchDatabaseName("postgres://bench@127.0.0.1:5432/")).toThrow(/names no database/);
  });
});
