import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";
import { postgresServerUser } from "./postgres-server-user.js";

let scratch: string;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function fakeProgram(path: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "#!/bin/sh\nexit 1\n");
  chmodSync(path, 0o755);
  return path;
}

describe("startPostgresCluster", () => {
  it("fails with the reason when initdb fails", async () => {
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    const failing = { initdb: fakeProgram(join(scratch, "initdb")), pgCtl: fakeProgram(join(scratch, "pg_ctl")) };
    await expect(startPostgresCluster(failing)).rejects.toThrow(/^initdb failed \(exit 1\)/);
  });
});

describe("a running cluster", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster(inject("postgresBinaries"));
  });
  afterAll(() => cluster?.stop());

  const query = async (sql: string): Promise<Record<string, unknown>[]> => {
    const client = new pg.Client({ connectionString: cluster.adminUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it("listens on 127.0.0.1 only, with UTF-8 and an ICU default collation", async () => {
    expect(cluster.adminUrl).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
    const [settings] = await query("select current_setting('listen_addresses') as listen, current_setting('server_encoding') as encoding, (select datlocprovider from pg_database where datname = 'postgres') as provider");
    expect(settings).toEqual({ listen: "127.0.0.1", encoding: "UTF8", provider: "i" });
  });

  it("runs the server as an unprivileged user when the tests run as root", () => {
    // The server refuses a data directory that its own user does not own, so the owner is the server's user.
    const owner = statSync(join(cluster.dir, "data")).uid;
    expect(owner).toBe(postgresServerUser().uid ?? process.getuid?.());
    if (process.getuid?.() === 0) expect(owner).not.toBe(0);
  });

  it("folds Unicode case in lower() with the ICU root collation, as JavaScript does", async () => {
    const [row] = await query(`select lower(E'\\u0130\\u0391\\u03a3 \\u00c9' collate "und-x-icu") as folded`);
    expect(row!["folded"]).toBe("\u0130\u0391\u03a3 \u00c9".toLowerCase());
  });

  it("stops and removes its directory, and a second stop does nothing", async () => {
    const other = await startPostgresCluster(inject("postgresBinaries"));
    expect(existsSync(other.dir)).toBe(true);
    other.stop();
    expect(existsSync(other.dir)).toBe(false);
    expect(() => other.stop()).not.toThrow();
    const client = new pg.Client({ connectionString: other.adminUrl, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
