import { createHash } from "node:crypto";
import type { TenantManifest } from "./dataset/manifest.js";
import type { LoadGenerator } from "./load/load-generator.js";
import type { LoadFigures } from "./load/run-load.js";
import type { ServerProcess } from "./processes/server-process.js";
import { readRss, RssSampler } from "./processes/rss.js";
import type { PagingResult, ReplayResult, ScenarioResult } from "./report/bench-report.js";
import type { Scenario } from "./scenarios/scenarios.js";

/** The servers and load generator of a run, and what every job needs to know. */
export interface Harness {
  readonly muster: ServerProcess;
  readonly ceiling: ServerProcess;
  readonly load: LoadGenerator;
  readonly manifest: TenantManifest;
  readonly manifestFile: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** Where lines about progress go (stderr). */
  readonly log: (line: string) => void;
  /** Jobs started so far; numbers the user indexes each job may create. */
  readonly jobs: { count: number };
}

const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024 / 1024);

/** The same request sequence for Muster and the ceiling: a seed per scenario and connection count. */
function seedOf(scenario: string, connections: number): number {
  return createHash("sha256").update(`${scenario}/${connections}`).digest().readUInt32LE(0);
}

/** User indexes for the POSTs of one job: past the tenant, and never shared between jobs. */
function firstNewIndex(harness: Harness): number {
  harness.jobs.count += 1;
  return harness.manifest.plan.users + harness.jobs.count * 10_000_000;
}

/** Runs `work` while sampling Muster's RSS; returns its result, the peak and the RSS just before. */
async function sampled<T>(muster: ServerProcess, work: () => Promise<T>): Promise<{ result: T; peakMb?: number; beforeMb?: number }> {
  const before = mb(readRss(muster.pid));
  const sampler = new RssSampler(muster.pid);
  sampler.start();
  let peak: number | undefined;
  let result: T;
  try {
    result = await work();
  } finally {
    peak = sampler.stop();
  }
  const peakMb = mb(peak);
  return { result, ...(peakMb === undefined ? {} : { peakMb }), ...(before === undefined ? {} : { beforeMb: before }) };
}

function summary(name: string, figures: LoadFigures): string {
  const problems = figures.unexpected + figures.errors > 0 ? `, ${figures.unexpected} unexpected statuses ${JSON.stringify(figures.statuses)}, ${figures.errors} errors` : "";
  return `${name} ${Math.round(figures.rps)} req/s p50 ${figures.p50Ms.toFixed(2)} p99 ${figures.p99Ms.toFixed(2)} ms${problems}`;
}

/** One scenario at one connection count: Muster (RSS sampled), then the ceiling with the same requests. */
export async function measureScenario(harness: Harness, scenario: Scenario, connections: number): Promise<ScenarioResult> {
  const { manifest } = harness;
  const job = (origin: string) => ({
    kind: "load" as const,
    manifestFile: harness.manifestFile,
    job: { scenario: scenario.id, origin, token: manifest.token, connections, durationSeconds: harness.durationSeconds, warmupSeconds: harness.warmupSeconds, seed: seedOf(scenario.id, connections), firstNewIndex: firstNewIndex(harness) },
  });
  const muster = await sampled(harness.muster, () => harness.load.run(job(harness.muster.origin)));
  const ceiling = await harness.load.run(job(harness.ceiling.origin));
  const ratio = ceiling.rps > 0 ? muster.result.rps / ceiling.rps : undefined;
  harness.log(`${scenario.id} ×${connections}: ${summary("Muster", muster.result)}; ${summary("ceiling", ceiling)}; ratio ${ratio?.toFixed(2) ?? "–"}`);
  return {
    scenario: scenario.id,
    title: scenario.title,
    connections,
    muster: muster.result,
    ceiling,
    ...(ratio === undefined ? {} : { ratio }),
    ...(muster.peakMb === undefined ? {} : { rssPeakMb: muster.peakMb }),
    ...(muster.beforeMb === undefined ? {} : { rssBeforeMb: muster.beforeMb }),
  };
}

/** Walks every user page by page on both servers. */
export async function measurePaging(harness: Harness, mode: "index" | "cursor", maxSeconds: number): Promise<PagingResult> {
  const job = (origin: string) => ({ kind: "paging" as const, job: { mode, origin, token: harness.manifest.token, basePath: `/scim/v2/${harness.manifest.tenantSlug}`, count: 1000, maxSeconds } });
  const muster = await sampled(harness.muster, () => harness.load.run(job(harness.muster.origin)));
  const ceiling = await harness.load.run(job(harness.ceiling.origin));
  const pace = (figures: { pages: number; seconds: number }) => figures.pages / Math.max(figures.seconds, 0.001);
  const ratio = ceiling.pages > 0 ? pace(muster.result) / pace(ceiling) : undefined;
  harness.log(`paging by ${mode}: Muster ${muster.result.pages} pages in ${muster.result.seconds.toFixed(1)} s${muster.result.complete ? "" : " (stopped)"}, peak RSS ${muster.peakMb?.toFixed(0) ?? "?"} MB; ceiling ${ceiling.pages} pages in ${ceiling.seconds.toFixed(1)} s${muster.result.firstFailure ? `; failure: ${muster.result.firstFailure}` : ""}`);
  return { mode, muster: muster.result, ceiling, ...(ratio === undefined ? {} : { ratio }), ...(muster.peakMb === undefined ? {} : { rssPeakMb: muster.peakMb }) };
}

/** The Entra initial-cycle replay on both servers. */
export async function measureReplay(harness: Harness, users: number, concurrency: number): Promise<ReplayResult> {
  const groups = Math.max(1, Math.round(users / 100));
  const job = (origin: string, tag: string) => ({
    kind: "replay" as const,
    job: { origin, token: harness.manifest.token, basePath: `/scim/v2/${harness.manifest.tenantSlug}`, plan: harness.manifest.plan, users, groups, concurrency, firstNewIndex: firstNewIndex(harness), tag },
  });
  const muster = await sampled(harness.muster, () => harness.load.run(job(harness.muster.origin, `m${Date.now().toString(36)}`)));
  const ceiling = await harness.load.run(job(harness.ceiling.origin, `c${Date.now().toString(36)}`));
  const ratio = ceiling.rps > 0 ? muster.result.rps / ceiling.rps : undefined;
  harness.log(`Entra replay: Muster ${muster.result.requests} requests in ${muster.result.seconds.toFixed(1)} s (${muster.result.failures} failures), ceiling ${ceiling.seconds.toFixed(1)} s${muster.result.firstFailure ? `; first failure: ${muster.result.firstFailure}` : ""}`);
  return { users, groups, concurrency, muster: muster.result, ceiling, ...(ratio === undefined ? {} : { ratio }), ...(muster.peakMb === undefined ? {} : { rssPeakMb: muster.peakMb }) };
}
