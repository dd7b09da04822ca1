import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { TenantManifest } from "../dataset/manifest.js";
import { probe } from "../processes/server-process.js";
import { SeededRandom } from "../random.js";
import { scenarioById, type BenchRequest } from "../scenarios/scenarios.js";
import { LatencyRecorder } from "./latency-recorder.js";

/** One timed run of a scenario against one server. */
export interface LoadJob {
  readonly scenario: string;
  readonly origin: string;
  readonly token: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Seconds of the same load before measuring (not recorded). */
  readonly warmupSeconds: number;
  readonly seed: number;
  readonly firstNewIndex: number;
}

/** What a run measured. Latencies in milliseconds; `errors` are connection errors and timeouts. */
export interface LoadFigures {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanBytes: number;
  readonly statuses: Record<string, number>;
  readonly unexpected: number;
  readonly errors: number;
}

const headersOf = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/scim+json" });

function cannon(job: LoadJob, seconds: number, next: () => BenchRequest, recorder: LatencyRecorder | undefined): Promise<autocannon.Result> {
  const headers = headersOf(job.token);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        duration: seconds,
        timeout: 120,
        headers,
        requests: [
          {
            setupRequest: (request) => {
              const { method, path, body } = next();
              return { ...request, method, path, body, headers };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
    if (recorder) instance.on("response", (_client, status, bytes, ms) => recorder.record(status, ms, bytes));
  });
}

/**
 * Waits until the server has worked off what earlier runs left queued: autocannon stops at the end of
 * a run without waiting for answers, but the server still executes every request it received, and a
 * run starting behind that backlog would measure it. Drained when /healthz answers quickly twice in a row.
 */
export async function drain(origin: string, timeoutMs = 600_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let quick = 0;
  while (quick < 2 && performance.now() < deadline) {
    const started = performance.now();
    const status = await probe(`${origin}/healthz`);
    quick = status === 200 && performance.now() - started < 50 ? quick + 1 : 0;
    if (quick < 2) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs a scenario with autocannon: a warm-up with the same requests, then the measured run, each
 * starting on a drained server. Request
 * targets come from the scenario's seeded generator; every response time is recorded at full resolution.
 */
export async function runLoad(job: LoadJob, manifest: TenantManifest): Promise<LoadFigures> {
  const scenario = scenarioById(job.scenario);
  const next = scenario.requests({ manifest, basePath: `/scim/v2/${manifest.tenantSlug}`, rng: new SeededRandom(job.seed), firstNewIndex: job.firstNewIndex });
  await drain(job.origin);
  if (job.warmupSeconds > 0) {
    await cannon(job, job.warmupSeconds, next, undefined);
    await drain(job.origin);
  }
  const recorder = new LatencyRecorder();
  const result = await cannon(job, job.durationSeconds, next, recorder);
  await drain(job.origin);
  const seconds = Math.max(0.001, (result.finish.getTime() - result.start.getTime()) / 1000);
  const latency = recorder.summary();
  return {
    requests: recorder.count,
    seconds,
    rps: recorder.count / seconds,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    maxMs: latency.maxMs,
    meanBytes: recorder.meanBytes(),
    statuses: recorder.statusCounts(),
    unexpected: recorder.unexpected(scenario.expected),
    errors: result.errors,
  };
}
