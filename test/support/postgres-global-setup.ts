import type { TestProject } from "vitest/node";
import { startPostgresCluster } from "./postgres-cluster.js";

/**
 * Vitest globalSetup of the postgres project: starts one throwaway cluster for the run, hands its admin
 * URL to the test files (inject("postgresAdminUrl"), see src/store/testing/test-database.ts) and removes
 * it when the run ends, is interrupted or the process exits. A cluster that cannot start fails the run.
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
  project.provide("postgresAdminUrl", cluster.adminUrl);
  return () => {
    process.off("exit", stop);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    process.off("SIGHUP", interrupted);
    stop();
  };
}
