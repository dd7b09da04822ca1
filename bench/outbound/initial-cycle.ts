import type { App } from "../../shared/admin-api.js";
import { performance } from "node:perf_hooks";
import { CpuWindow, type CpuUse } from "../processes/cpu-time.js";
import { RssSampler } from "../processes/rss.js";
import { RssSeries, type RssTrend } from "./rss-series.js";
import type { OutboundServers } from "./outbound-servers.js";

/** What watching an initial cycle from outside gave. */
export interface WatchedCycle {
  /** Epoch ms: the resume request sent; the cycle's start and end as the engine recorded them. */
  readonly resumedAt: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly app: App;
  readonly enginePid?: number;
  /** CPU from resuming to the end: the source's and the target's process trees (`source`, `target`), the bench's own processes, and every other process. */
  readonly cpu?: CpuUse;
  readonly rss: { readonly sourcePeakMb?: number; readonly enginePeakMb?: number; readonly targetPeakMb?: number; readonly engine?: RssTrend; readonly target?: RssTrend };
}

const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024 / 1024);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid in an engine's node id (`<host>:<pid>:<random>`). */
function pidOf(node: string): number | undefined {
  const pid = Number(node.split(":").at(-2));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Switches provisioning on (POST …/resume) and watches the app through the admin API every 250 ms (less
 * often as its status grows slower to compute)
 * until its initial cycle has completed, sampling memory meanwhile: the peaks of the source's and the
 * target's process trees, and, from the moment the app's status names it, the process that runs the
 * engine (peak and one sample a second). Fails when the app is quarantined or the cycle outlasts
 * `maxSeconds`.
 */
export async function watchInitialCycle(servers: OutboundServers, options: { maxSeconds: number; log: (line: string) => void; benchPids: Readonly<Record<string, number>> }): Promise<WatchedCycle> {
  const { admin, source, target, sourceTenant } = servers;
  const appId = servers.app.id;
  const sourcePeak = new RssSampler(source.pid);
  const targetPeak = new RssSampler(target.pid);
  const targetSeries = new RssSeries(target.pid);
  let engine: { pid: number; peak: RssSampler; series: RssSeries } | undefined;
  sourcePeak.start();
  targetPeak.start();
  targetSeries.start();
  const cpuWindow = new CpuWindow({ source: source.pid, target: target.pid, ...options.benchPids });
  const resumedAt = Date.now();
  let app = await admin.request<App>("POST", `/tenants/${sourceTenant}/apps/${appId}/resume`, {});
  const deadline = resumedAt + options.maxSeconds * 1000;
  let lastReport = resumedAt;
  let rss: WatchedCycle["rss"] = {};
  let cpu: CpuUse | undefined;
  try {
    for (;;) {
      const asked = performance.now();
      app = await admin.app(sourceTenant, appId);
      // An app's status counts its links (a scan of the app's index): the watcher keeps its own cost to about 5% of a process.
      const interval = Math.min(5_000, Math.max(250, 20 * (performance.now() - asked)));
      const { status } = app;
      const node = status.worker?.node;
      const pid = node === undefined ? undefined : pidOf(node);
      if (pid !== undefined && engine === undefined) {
        engine = { pid, peak: new RssSampler(pid), series: new RssSeries(pid) };
        engine.peak.start();
        engine.series.start();
      }
      if (status.lastCycle?.kind === "initial") {
        if (status.lastCycle.outcome !== "completed") throw new Error(`the initial cycle ended ${status.lastCycle.outcome}`);
        break;
      }
      if (status.quarantine) throw new Error(`the app was quarantined (${status.quarantine.code}): ${status.quarantine.reason}`);
      const now = Date.now();
      if (now > deadline) throw new Error(`the initial cycle did not end within ${options.maxSeconds} s (stage ${status.currentCycle?.stage ?? "?"}, ${status.currentCycle?.done ?? 0} of ${status.currentCycle?.total ?? "?"})`);
      if (now - lastReport >= 15_000 && status.currentCycle) {
        lastReport = now;
        const cycle = status.currentCycle;
        options.log(`  ${((now - resumedAt) / 1000).toFixed(0)} s: stage ${cycle.stage}, ${cycle.done.toLocaleString("en-US")} of ${cycle.total.toLocaleString("en-US")} objects read, ${cycle.counts.created.toLocaleString("en-US")} created, ${cycle.counts.failed} failed`);
      }
      await sleep(interval);
    }
  } finally {
    cpu = cpuWindow.stop();
    const enginePeakMb = mb(engine?.peak.stop());
    const engineTrend = engine?.series.stop();
    const sourcePeakMb = mb(sourcePeak.stop());
    const targetPeakMb = mb(targetPeak.stop());
    const targetTrend = targetSeries.stop();
    rss = {
      ...(sourcePeakMb === undefined ? {} : { sourcePeakMb }),
      ...(enginePeakMb === undefined ? {} : { enginePeakMb }),
      ...(targetPeakMb === undefined ? {} : { targetPeakMb }),
      ...(engineTrend === undefined ? {} : { engine: engineTrend }),
      ...(targetTrend === undefined ? {} : { target: targetTrend }),
    };
  }
  const last = app.status.lastCycle!;
  return { resumedAt, startedAt: Date.parse(last.startedAt), endedAt: Date.parse(last.endedAt), app, rss, ...(cpu ? { cpu } : {}), ...(engine ? { enginePid: engine.pid } : {}) };
}
