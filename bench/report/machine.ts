import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, platform } from "node:os";
import BetterSqlite3 from "better-sqlite3";

/** The machine and software a run measured. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryMb: number;
  readonly os: string;
  readonly node: string;
  readonly sqlite: string;
  readonly musterCommit: string;
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** CPU, memory, OS, Node, the SQLite library better-sqlite3 embeds, and the commit measured. */
export function machineInfo(root: string): MachineInfo {
  const db = new BetterSqlite3(":memory:");
  const sqlite = String(db.prepare("select sqlite_version()").pluck().get());
  db.close();
  const commit = git(root, ["rev-parse", "--short", "HEAD"]);
  const dirty = git(root, ["status", "--porcelain", "--", "src", "bench"]) !== "";
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    os: `${platform()} ${release()}`,
    node: process.version,
    sqlite,
    musterCommit: commit === "" ? "unknown" : `${commit}${dirty ? " (with uncommitted changes in src/ or bench/)" : ""}`,
  };
}
