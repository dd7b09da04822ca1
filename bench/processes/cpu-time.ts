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

/** CPU time every core of the machine has spent busy (user, nice, system, irq, softirq, steal) so far, in seconds; undefined without /proc/stat. */
export function readMachineBusySeconds(): number | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** What a stretch of work cost in CPU: each process tree watched, and everything else the machine ran meanwhile. */
export interface CpuUse {
  readonly seconds: number;
  /** CPU seconds of each watched process tree, by name. */
  readonly own: Readonly<Record<string, number>>;
  /** CPU seconds of every other process (and the kernel's own work), from the machine's busy time. */
  readonly others: number;
}

/**
 * Measures the CPU of named process trees over a stretch of work, and what the rest of the machine used
 * meanwhile: a run disturbed by someone else's compiler shows as `others` (in seconds; divide by
 * `seconds` for the cores they kept busy on average).
 */
export class CpuWindow {
  private readonly pids: Readonly<Record<string, number>>;
  private readonly before: Record<string, number | undefined>;
  private readonly machineBefore: number | undefined;
  private readonly started = Date.now();

  constructor(pids: Readonly<Record<string, number>>) {
    this.pids = pids;
    this.before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, readCpuSeconds(pid)]));
    this.machineBefore = readMachineBusySeconds();
  }

  stop(): CpuUse | undefined {
    const machine = readMachineBusySeconds();
    const own: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const after = readCpuSeconds(pid);
      const before = this.before[name];
      if (after === undefined || before === undefined) return undefined;
      own[name] = after - before;
    }
    if (machine === undefined || this.machineBefore === undefined) return undefined;
    const ownTotal = Object.values(own).reduce((sum, value) => sum + value, 0);
    return { seconds: (Date.now() - this.started) / 1000, own, others: Math.max(0, machine - this.machineBefore - ownTotal) };
  }
}
