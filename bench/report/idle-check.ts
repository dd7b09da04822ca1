import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";

/** How busy the machine was apart from the bench. */
export interface IdleCheck {
  readonly loadAverage: readonly [number, number, number];
  /** Other processes that used at least 10% of a core while sampled: "pid 123 45% node vitest …". */
  readonly busyProcesses: readonly string[];
}

const ticksPerSecond = 100;

function cpuTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim().slice(0, 100);
  } catch {
    return "?";
  }
}

/**
 * The load average and the processes (other than `ownPids`) that used CPU during `seconds`, from
 * /proc (Linux). Elsewhere only the load average is known.
 */
export async function checkIdle(ownPids: readonly number[], seconds = 2): Promise<IdleCheck> {
  const [one, five, fifteen] = loadavg();
  const loadAverage: [number, number, number] = [one ?? 0, five ?? 0, fifteen ?? 0];
  let before: Map<number, number>;
  try {
    before = cpuTicks();
  } catch {
    return { loadAverage, busyProcesses: [] };
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = cpuTicks();
  const busy: string[] = [];
  for (const [pid, ticks] of after) {
    if (ownPids.includes(pid)) continue;
    const share = (ticks - (before.get(pid) ?? ticks)) / (ticksPerSecond * seconds);
    if (share >= 0.1) busy.push(`pid ${pid} ${Math.round(share * 100)}% ${commandOf(pid)}`);
  }
  return { loadAverage, busyProcesses: busy };
}
