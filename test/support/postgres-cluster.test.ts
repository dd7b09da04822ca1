import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";

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

describe("findPostgresBinaries", () => {
  it("prefers initdb on the PATH, with the pg_ctl beside it", () => {
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    const initdb = fakeProgram(join(scratch, "path", "initdb"));
    const pgCtl = fakeProgram(join(scratch, "path", "pg_ctl"));
    fakeProgram(join(scratch, "lib", "16", "bin", "initdb"));
    fakeProgram(join(scratch, "lib", "16", "bin", "pg_ctl"));
    expect(findPostgresBinaries(join(scratch, "path"), join(scratch, "lib"))).toEqual({ initdb, pgCtl });
  });

  it("falls back to the newest /usr/lib/postgresql/<version>/bin that has both programs", () => {
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    for (const version of ["9.6", "15", "13"]) {
      fakeProgram(join(scratch, "lib", version, "bin", "initdb"));
      fakeProgram(join(scratch, "lib", version, "bin", "pg_ctl"));
    }
    fakeProgram(join(scratch, "lib", "17", "bin", "initdb"));
    expect(findPostgresBinaries(join(scratch, "empty"), join(scratch, "lib"))).toEqual({ initdb: join(scratch, "lib", "15", "bin", "initdb"), pgCtl: join(scratch, "lib", "15", "bin", "pg_ctl") });
  });

  it("finds nothing when neither place has the programs", () => {
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    expect(findPostgresBinaries(join(scratch, "empty"), join(scratch, "none"))).toBeUndefined();
  });
});

describe("startPostgresCluster", () => {
  it("fails with the reason when initdb fails", async () => {
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    const failing = { initdb: fakeProgram(join(scratch, "initdb")), pgCtl: fakeProgram(join(scratch, "pg_ctl")) };
    await expect(startPostgresCluster(failing)).rejects.toThrow(/^initdb failed \(exit 1\)/);
  });

  it("fails with a sentence naming the fix when no binaries were found", async () => {
    await expect(startPostgresCluster(null)).rejects.toThrow(/Install Debian's postgresql package/);
  });
});

describe("a running cluster", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
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

  it("folds Unicode case in lower() with the ICU root collation, as JavaScript does", async () => {
    const [row] = await query(`select lower(E'\\u0130\\u0391\\u03a3 \\u00c9' collate "und-x-icu") as folded`);
    expect(row!["folded"]).toBe("\u0130\u0391\u03a3 \u00c9".toLowerCase());
  });

  it("stops and removes its directory, and a second stop does nothing", async () => {
    const other = await startPostgresCluster();
    expect(existsSync(other.dir)).toBe(true);
    other.stop();
    expect(existsSync(other.dir)).toBe(false);
    expect(() => other.stop()).not.toThrow();
    const client = new pg.Client({ connectionString: other.adminUrl, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
