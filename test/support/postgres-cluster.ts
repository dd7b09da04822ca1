import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { accessSync, appendFileSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import pg from "pg";
import { freePort } from "../../tools/free-port.js";

/*
 * A throwaway PostgreSQL cluster for the test run: initdb into a temporary directory, pg_ctl start on
 * 127.0.0.1 and a free port (its Unix socket stays inside that directory), trust authentication because
 * nothing but this machine's loopback can reach it, and everything removed at the end. PostgreSQL refuses
 * to run as root, so as root the server runs as the `postgres` system user through runuser.
 */

/** The server programs of one PostgreSQL installation. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

/** A running test cluster. */
export interface PostgresCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  readonly adminUrl: string;
  readonly port: number;
  /** The temporary directory holding the data directory, the socket and the server log. */
  readonly dir: string;
  /** Stops the server and removes the directory; later calls do nothing. */
  stop(): void;
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Orders "15", "9.6", "16" newest first. */
function newestFirst(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.split(".").map(Number));
  for (let i = 0; i < Math.max(x!.length, y!.length); i++) {
    const difference = (y![i] ?? 0) - (x![i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Finds initdb and pg_ctl: on the PATH first (pg_ctl taken next to initdb's real location when both are
 * there), then in the newest /usr/lib/postgresql/<version>/bin, where Debian's postgresql package puts
 * them. Undefined when neither has both.
 */
export function findPostgresBinaries(path: string = process.env["PATH"] ?? "", libRoot = "/usr/lib/postgresql"): PostgresBinaries | undefined {
  for (const directory of path.split(delimiter).filter((entry) => entry !== "")) {
    const initdb = join(directory, "initdb");
    if (!executable(initdb)) continue;
    // A symlinked initdb (/usr/local/bin/initdb → …/15/bin/initdb) has the matching pg_ctl beside its target.
    for (const candidate of [join(dirname(realpathSync(initdb)), "pg_ctl"), join(directory, "pg_ctl")]) {
      if (executable(candidate)) return { initdb, pgCtl: candidate };
    }
  }
  if (!existsSync(libRoot)) return undefined;
  const versions = readdirSync(libRoot).filter((name) => /^\d+(\.\d+)?$/.test(name)).sort(newestFirst);
  for (const version of versions) {
    const bin = join(libRoot, version, "bin");
    if (executable(join(bin, "initdb")) && executable(join(bin, "pg_ctl"))) return { initdb: join(bin, "initdb"), pgCtl: join(bin, "pg_ctl") };
  }
  return undefined;
}

/** How the server programs are run: as root through runuser as `postgres`, else as the current user. */
interface RunAs {
  readonly prefix: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const id = (flag: string): number => {
    const result = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`PostgreSQL cannot run as root and there is no "postgres" user to run it as (id ${flag} postgres: ${result.stderr.trim()}).`);
    return Number(result.stdout.trim());
  };
  return { prefix: ["runuser", "-u", "postgres", "--"], uid: id("-u"), gid: id("-g") };
}

function run(as: RunAs, command: string, args: readonly string[], timeoutMs = 120_000): SpawnSyncReturns<string> {
  const [program, ...rest] = [...as.prefix, command, ...args];
  return spawnSync(program!, rest, { encoding: "utf8", timeout: timeoutMs });
}

function describeFailure(step: string, result: SpawnSyncReturns<string>, log?: string): string {
  const output = [result.error?.message, result.stderr, result.stdout, log].filter((text) => text && text.trim() !== "").join("\n").trim();
  return `${step} failed (exit ${result.status ?? result.signal}):\n${output.split("\n").slice(-30).join("\n")}`;
}

async function waitUntilReady(adminUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Creates and starts a cluster (UTF-8; the default collation is ICU en-US, so any ordering that forgot
 * COLLATE "C" shows up as a wrong order in tests). Throws with the reason — missing binaries, initdb or
 * server log — when it cannot start; never returns a cluster that is not accepting connections.
 */
export async function startPostgresCluster(binaries: PostgresBinaries | null = findPostgresBinaries() ?? null): Promise<PostgresCluster> {
  if (!binaries) {
    throw new Error("PostgreSQL server programs (initdb, pg_ctl) were found neither on the PATH nor in /usr/lib/postgresql/*/bin. Install Debian's postgresql package (.ci/run does this) to run the PostgreSQL tests.");
  }
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), "muster-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      run(as, binaries.pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30"], 40_000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (as.uid !== undefined && as.gid !== undefined) chownSync(dir, as.uid, as.gid);
    const initdb = run(as, binaries.initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US", "--no-sync"]);
    if (initdb.status !== 0) throw new Error(describeFailure("initdb", initdb));
    // Durability is pointless for a cluster deleted after the run; connections: every worker opens pools.
    const settings = ["listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off", "max_connections = 400", "shared_buffers = 64MB"];
    appendFileSync(join(data, "postgresql.conf"), `\n${settings.join("\n")}\n`);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const start = run(as, binaries.pgCtl, ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", `-p ${port}`], 90_000);
      if (start.status === 0) {
        started = true;
        const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
        await waitUntilReady(adminUrl, 30_000);
        return { adminUrl, port, dir, stop };
      }
      const serverLog = existsSync(log) ? readFileSync(log, "utf8") : "";
      // Another process may take the port between freePort and the server's bind; try another.
      if (attempt < 3 && /could not bind|Address already in use/i.test(serverLog)) continue;
      throw new Error(describeFailure("pg_ctl start", start, serverLog));
    }
  } catch (error) {
    stop();
    throw error;
  }
}
