import { readFileSync, writeFileSync } from "node:fs";

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resident set size of a process and its child processes (the workers of `muster serve --workers`) in
 * bytes: VmRSS of /proc/<pid>/status, summed; undefined where /proc is absent.
 */
export function readRss(pid: number): number | undefined {
  const own = statusField(pid, "VmRSS");
  if (own === undefined) return undefined;
  return childrenOf(pid).reduce((sum, child) => sum + (statusField(child, "VmRSS") ?? 0), own);
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter((text) => text !== "").map(Number);
  } catch {
    return [];
  }
}

/**
 * The peak RSS of a process over an interval: VmRSS sampled every few milliseconds, plus the kernel's
 * own high-water mark (VmHWM, reset at start through /proc/<pid>/clear_refs) which catches peaks
 * between samples. Linux only; elsewhere the peak is undefined.
 */
export class RssSampler {
  private readonly pid: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private hwmReset = false;

  constructor(pid: number, intervalMs = 20) {
    this.pid = pid;
    this.intervalMs = intervalMs;
  }

  start(): void {
    try {
      // "5" resets the peak resident set size (proc(5), clear_refs).
      writeFileSync(`/proc/${this.pid}/clear_refs`, "5");
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops sampling; the peak in bytes, or undefined when nothing could be read. */
  stop(): number | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const hwm = this.hwmReset ? statusField(this.pid, "VmHWM") : undefined;
    const peak = Math.max(this.peak, hwm ?? 0);
    return peak > 0 ? peak : undefined;
  }

  private sample(): void {
    const rss = readRss(this.pid);
    if (rss !== undefined && rss > this.peak) this.peak = rss;
  }
}
