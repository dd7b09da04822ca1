import pg from "pg";
import type { TestProject } from "vitest/node";
import { openStore } from "../../src/store/open-store.js";
import { locatePostgresBinaries, preparePostgresBinaries, type PostgresBinaries } from "./postgres-binaries.js";
import { startPostgresCluster } from "./postgres-cluster.js";

declare module "vitest" {
  interface ProvidedContext {
    /** The server programs the run's cluster uses, runnable by the server's user, for tests that start clusters of their own. */
    postgresBinaries: PostgresBinaries;
  }
}

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
 * Vitest globalSetup of the postgres project: finds the server programs (copied once for the server's
 * user when it cannot reach them), starts one throwaway cluster for the run with a migrated template
 * database, hands both to the test files (inject("postgresAdminUrl"), inject("postgresTemplate"); see
 * src/store/testing/test-database.ts) and removes the cluster and any copy when the run ends, is
 * interrupted or the process exits. Programs that are missing or a cluster that cannot start fail the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const prepared = preparePostgresBinaries(await locatePostgresBinaries());
  const cluster = await startPostgresCluster(prepared.binaries).catch((error: unknown) => {
    prepared.dispose();
    throw error;
  });
  const stop = () => {
    cluster.stop();
    prepared.dispose();
  };
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
  project.provide("postgresBinaries", prepared.binaries);
  return () => {
    process.off("exit", stop);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    process.off("SIGHUP", interrupted);
    stop();
  };
}
