import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { filterQuery } from "../scenarios/request-bodies.js";
import { freePort, startServerProcess, type ServerProcess } from "./server-process.js";

/** What both servers are started on. */
export interface ServerTarget {
  readonly root: string;
  /** The SQLite file. */
  readonly file: string;
  readonly tenantSlug: string;
  readonly token: string;
}

/**
 * Starts `muster serve` as its own process on the file (rate limit off, log level warn) and waits for
 * its first answered SCIM request, a userName lookup with the bench token: that wait is the startup time.
 */
export async function startMuster(target: ServerTarget, cpuProfileDir?: string): Promise<ServerProcess> {
  const port = await freePort();
  const profile = cpuProfileDir === undefined ? [] : (mkdirSync(cpuProfileDir, { recursive: true }), ["--cpu-prof", `--cpu-prof-dir=${resolve(cpuProfileDir)}`]);
  return startServerProcess({
    name: "Muster",
    cwd: target.root,
    port,
    nodeArgs: [...profile, join(target.root, "bin/muster.js"), "serve", "--db", `sqlite:${resolve(target.file)}`, "--host", "127.0.0.1", "--port", String(port), "--rate-limit", "0", "--log-level", "warn"],
    probePath: `/scim/v2/${target.tenantSlug}/Users?${filterQuery('userName eq "startup-probe@bench.example"')}`,
    probeHeaders: { authorization: `Bearer ${target.token}` },
  });
}

/** Starts the ceiling server (dist/bench/ceiling-server.js) as its own process on the same file. */
export async function startCeiling(target: ServerTarget): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: "ceiling",
    cwd: target.root,
    port,
    nodeArgs: [join(target.root, "dist/bench/ceiling-server.js"), "--db", resolve(target.file), "--port", String(port), "--tenant", target.tenantSlug],
    probePath: "/healthz",
  });
}
