import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

declare module "vitest" {
  interface ProvidedContext {
    /** Superuser URL of the test run's PostgreSQL cluster (test/support/postgres-global-setup.ts). */
    postgresAdminUrl: string;
    /** Name of the cluster's database with this build's schema and no rows, to copy migrated test databases from. */
    postgresTemplate: string;
  }
}

/** The databases a test project can run on. */
export type TestDatabaseKind = "sqlite" | "postgres";

/** The database the running test project names in MUSTER_TEST_DATABASE (sqlite when unset). */
export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env["MUSTER_TEST_DATABASE"] ?? "sqlite";
  if (kind !== "sqlite" && kind !== "postgres") throw new Error(`MUSTER_TEST_DATABASE must be sqlite or postgres, not "${kind}".`);
  return kind;
}

function adminUrl(): string {
  const url = inject("postgresAdminUrl");
  if (!url) throw new Error("No PostgreSQL test cluster: run this file in the postgres project, whose globalSetup starts one (vitest.config.ts).");
  return url;
}

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database on the test cluster and returns its URL: empty (from template0), or with
 * `migrated` a copy of the run's template, which has this build's schema and no rows — what opening
 * an empty database would make of it, for a fraction of the time.
 */
export async function createTestPostgresDatabase(options: { readonly migrated?: boolean } = {}): Promise<string> {
  const name = `muster_${randomBytes(8).toString("hex")}`;
  const template = options.migrated ? inject("postgresTemplate") : "template0";
  await onAdmin((client) => client.query(`create database ${name} template ${template}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createTestPostgresDatabase, ending any session still connected to it. */
export async function dropTestPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^muster_[0-9a-f]{16}$/.test(name)) throw new Error(`not a test database: ${name}`);
  await onAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
}
