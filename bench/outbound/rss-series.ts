import { readRss } from "../processes/rss.js";

/** How a process's resident memory moved over a run: one sample a second. */
export interface RssTrend {
  readonly samples: number;
  readonly minMb: number;
  readonly maxMb: number;
  /** Mean of the first and of the last tenth of the samples. */
  readonly firstMb: number;
  readonly lastMb: number;
  /** Least-squares slope over all samples: how fast memory grew (or shrank) per minute. */
  readonly slopeMbPerMinute: number;
}

/**
 * Samples a process's RSS (with its child processes, as readRss counts it) at a fixed interval, for
 * the trend of a long run rather than its peak (RssSampler catches peaks).
 */
export class RssSeries {
  private readonly pid: number;
  private readonly intervalMs: number;
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(pid: number, intervalMs = 1000) {
    this.pid = pid;
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): RssTrend | undefined {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return summarizeRss(this.times, this.values);
  }

  private sample(): void {
    const rss = readRss(this.pid);
    if (rss === undefined) return;
    this.times.push(Date.now());
    this.values.push(rss / 1024 / 1024);
  }
}

/** The trend of samples (`times` in epoch ms, `values` in MB); undefined without samples. */
export function summarizeRss(times: readonly number[], values: readonly number[]): RssTrend | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const tenth = Math.max(1, Math.floor(n / 10));
  const mean = (list: readonly number[]) => list.reduce((sum, value) => sum + value, 0) / list.length;
  const minutes = times.map((time) => (time - times[0]!) / 60_000);
  const meanT = mean(minutes);
  const meanV = mean(values);
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    covariance += (minutes[i]! - meanT) * (values[i]! - meanV);
    variance += (minutes[i]! - meanT) ** 2;
  }
  return {
    samples: n,
    minMb: Math.min(...values),
    maxMb: Math.max(...values),
    firstMb: mean(values.slice(0, tenth)),
    lastMb: mean(values.slice(-tenth)),
    slopeMbPerMinute: variance === 0 ? 0 : covariance / variance,
  };
}
