import pg from "pg";
import type { TestProject } from "vitest/node";
import { openStore } from "../../src/store/open-store.js";
import { startPostgresCluster } from "./postgres-cluster.js";

/** The database every migrated test database is copied from (CREATE DATABASE … TEMPLATE). */
const templateName = "muster_template";

/** Creates the template: an empty database with this build's schema, so a test database costs a file copy, not a migration. */
async function createTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${templateName} template template0`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${templateName}`;
  // Closing ends every connection: CREATE DATABASE … TEMPLATE refuses a template that has sessions.
  await (await openStore(url.toString())).close();
}

/**
 * Vitest globalSetup of the postgres project: starts one throwaway cluster for the run with a migrated
 * template database, hands both to the test files (inject("postgresAdminUrl"), inject("postgresTemplate");
 * see src/store/testing/test-database.ts) and removes the cluster when the run ends, is interrupted or
 * the process exits. A cluster that cannot start fails the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgresCluster();
  const stop = () => cluster.stop();
  const interrupted = (signal: NodeJS.Signals) => {
    stop();
    // With no other handler left the signal would now be ignored; deliver it again for its default effect.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once("exit", stop);
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  process.once("SIGHUP", interrupted);
  try {
    await createTemplate(cluster.adminUrl);
  } catch (error) {
    stop();
    throw error;
  }
  project.provide("postgresAdminUrl", cluster.adminUrl);
  project.provide("postgresTemplate", templateName);
  return () => {
    process.off("exit", stop);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    process.off("SIGHUP", interrupted);
    stop();
  };
}
