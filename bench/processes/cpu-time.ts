import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

function ownTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter((text) => text !== "").map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU time (user and system) a process and its running child processes (the workers of `muster serve
 * --workers`) have used so far, in seconds; undefined where /proc is absent. The difference of two
 * readings is the CPU a piece of work cost, whichever core ran it.
 */
export function readCpuSeconds(pid: number): number | undefined {
  const own = ownTicks(pid);
  if (own === undefined) return undefined;
  return childrenOf(pid).reduce((sum, child) => sum + (ownTicks(child) ?? 0), own) / ticksPerSecond;
}
