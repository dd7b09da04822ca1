import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../../tools/free-port.js";
import { ceilingPoolSize } from "../ceiling/ceiling-storage.js";
import { filterQuery } from "../scenarios/request-bodies.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

/** The database of a run: a SQLite work copy, or a PostgreSQL database the tenant was copied into. */
export type BenchDatabase = { readonly kind: "sqlite"; readonly file: string } | { readonly kind: "postgres"; readonly url: string };

/** What both servers are started on. */
export interface ServerTarget {
  readonly root: string;
  readonly database: BenchDatabase;
  readonly tenantSlug: string;
  readonly token: string;
}

/**
 * Starts `muster serve` as its own process on the database as shipped (default log level: one JSON line
 * per request, written to `logFile`), rate limit off, and waits for its first answered SCIM request, a
 * userName lookup with the bench token: that wait is the startup time. `env` adds settings (the
 * outbound scenario's secret key and MUSTER_APPS_ALLOW_PRIVATE).
 */
export async function startMuster(target: ServerTarget, logFile: string, workers: number, cpuProfileDir?: string, env?: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const profile = cpuProfileDir === undefined ? [] : (mkdirSync(cpuProfileDir, { recursive: true }), ["--cpu-prof", `--cpu-prof-dir=${resolve(cpuProfileDir)}`]);
  return startServerProcess({
    name: "Muster",
    cwd: target.root,
    port,
    nodeArgs: [...profile, join(target.root, "bin/muster.js"), "serve", "--db", target.database.kind === "sqlite" ? `sqlite:${resolve(target.database.file)}` : target.database.url, "--host", "127.0.0.1", "--port", String(port), "--rate-limit", "0", "--workers", String(workers)],
    stdoutFile: logFile,
    probePath: `/scim/v2/${target.tenantSlug}/Users?${filterQuery('userName eq "startup-probe@bench.example"')}`,
    probeHeaders: { authorization: `Bearer ${target.token}` },
    ...(env === undefined ? {} : { env }),
  });
}

/** Starts the ceiling server (dist/bench/ceiling-server.js) as its own process on the same database (PostgreSQL: a pool of Muster's size). */
export async function startCeiling(target: ServerTarget): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: "ceiling",
    cwd: target.root,
    port,
    nodeArgs: [join(target.root, "dist/bench/ceiling-server.js"), "--db", target.database.kind === "sqlite" ? resolve(target.database.file) : target.database.url, "--pool", String(ceilingPoolSize), "--port", String(port), "--tenant", target.tenantSlug],
    probePath: "/healthz",
  });
}
