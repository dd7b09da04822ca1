import { spawnSync, type SpawnSyncReturns } from "node:child_process";

/*
 * PostgreSQL refuses to run as root. CI and fresh machines run the tests as root, and only machines with a
 * distribution's PostgreSQL package have a `postgres` user, so as root the server programs run through
 * runuser as `postgres` when it exists and otherwise as `nobody`, which every Linux system has.
 */

/** The user the server programs run as: this process's own, or, as root, an unprivileged one. */
export interface PostgresServerUser {
  /** Name of the unprivileged user; undefined when the programs run as this process's user. */
  readonly name?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Words put before a command to run it as this user. */
  readonly prefix: readonly string[];
}

/** Users tried, in order, when this process is root. */
const unprivilegedUsers = ["postgres", "nobody"];

function userId(name: string, flag: "-u" | "-g"): number | undefined {
  const result = spawnSync("id", [flag, name], { encoding: "utf8" });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** This process's user when it is not root; as root `postgres` if it exists, else `nobody`; throws when neither exists. */
export function postgresServerUser(): PostgresServerUser {
  if (process.getuid?.() !== 0) return { prefix: [] };
  for (const name of unprivilegedUsers) {
    const uid = userId(name, "-u");
    const gid = userId(name, "-g");
    if (uid !== undefined && gid !== undefined) return { name, uid, gid, prefix: ["runuser", "-u", name, "--"] };
  }
  throw new Error(`PostgreSQL cannot run as root, and there is no unprivileged user to run it as (tried ${unprivilegedUsers.join(", ")}).`);
}

/** Runs a program as the server's user and waits for it. */
export function runAsServerUser(user: PostgresServerUser, command: string, args: readonly string[], timeoutMs = 120_000): SpawnSyncReturns<string> {
  const [program, ...rest] = [...user.prefix, command, ...args];
  return spawnSync(program!, rest, { encoding: "utf8", timeout: timeoutMs });
}

/** The last lines of what a failed program printed, after a line naming the step and its exit. */
export function describeFailure(step: string, result: SpawnSyncReturns<string>, log?: string): string {
  const output = [result.error?.message, result.stderr, result.stdout, log].filter((text) => text && text.trim() !== "").join("\n").trim();
  return `${step} failed (exit ${result.status ?? result.signal}):\n${output.split("\n").slice(-30).join("\n")}`;
}
