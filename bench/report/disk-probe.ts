import { closeSync, fdatasyncSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** How long this disk takes to make a small write durable: what every SCIM write waits for at synchronous=FULL. */
export interface DiskProbe {
  readonly writes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Appends 4 KiB and fdatasyncs it `writes` times in `dir` (where the databases are), as a WAL commit
 * does. Write scenarios are bound by this latency, so it says how comparable two runs' write figures are.
 */
export function probeDisk(dir: string, writes = 200): DiskProbe {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "fsync-probe.tmp");
  const page = Buffer.alloc(4096, 7);
  const times: number[] = [];
  const fd = openSync(file, "w");
  try {
    for (let i = 0; i < writes; i++) {
      const started = performance.now();
      writeSync(fd, page);
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  times.sort((a, b) => a - b);
  const at = (percentile: number) => times[Math.min(times.length - 1, Math.ceil((percentile / 100) * times.length) - 1)] ?? 0;
  return { writes, p50Ms: at(50), p99Ms: at(99) };
}
