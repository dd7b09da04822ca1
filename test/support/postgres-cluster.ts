import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../../tools/free-port.js";
import type { PostgresBinaries } from "./postgres-binaries.js";
import { describeFailure, postgresServerUser, runAsServerUser } from "./postgres-server-user.js";

/*
 * A throwaway PostgreSQL cluster for the test run: initdb into a temporary directory, pg_ctl start on
 * 127.0.0.1 and a free port (its Unix socket stays inside that directory), trust authentication because
 * nothing but this machine's loopback can reach it, and everything removed at the end. As root the server
 * runs as an unprivileged user (postgres-server-user.ts); the programs come from postgres-binaries.ts.
 */

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
 * COLLATE "C" shows up as a wrong order in tests). Throws with the reason — initdb's output or the server
 * log — when it cannot start; never returns a cluster that is not accepting connections.
 */
export async function startPostgresCluster(binaries: PostgresBinaries): Promise<PostgresCluster> {
  const user = postgresServerUser();
  const dir = mkdtempSync(join(tmpdir(), "muster-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      runAsServerUser(user, binaries.pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30"], 40_000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
    const initdb = runAsServerUser(user, binaries.initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US", "--no-sync"]);
    if (initdb.status !== 0) throw new Error(describeFailure("initdb", initdb));
    // Durability is pointless for a cluster deleted after the run; connections: every worker opens pools.
    const settings = ["listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off", "max_connections = 400", "shared_buffers = 64MB"];
    appendFileSync(join(data, "postgresql.conf"), `\n${settings.join("\n")}\n`);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const start = runAsServerUser(user, binaries.pgCtl, ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", `-p ${port}`], 90_000);
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
