import { performance } from "node:perf_hooks";
import { entraProfile } from "../../src/replay/profiles.js";
import { userBody, userFacts } from "../dataset/generate-user.js";
import type { TenantPlan } from "../dataset/tenant-plan.js";
import { entraMembersAdd, filterQuery } from "../scenarios/request-bodies.js";
import { replayGroupBody } from "../scenarios/scenarios.js";
import { HttpSession, type SessionResponse } from "./http-session.js";
import { LatencyRecorder } from "./latency-recorder.js";

/** An Entra ID initial cycle against one server: new users matched and created, then groups and their members. */
export interface ReplayJob {
  readonly origin: string;
  readonly token: string;
  readonly basePath: string;
  readonly plan: Pick<TenantPlan, "seed">;
  readonly users: number;
  readonly groups: number;
  /** Parallel request streams (provisioning jobs running at once). */
  readonly concurrency: number;
  readonly firstNewIndex: number;
  /** Makes group names unique per run. */
  readonly tag: string;
}

/** Figures of one phase of the replay. */
export interface ReplayPhase {
  readonly name: string;
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Figures of the whole replay. */
export interface ReplayFigures {
  readonly seconds: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly failures: number;
  readonly firstFailure?: string;
  readonly phases: readonly ReplayPhase[];
}

/** Members Entra ID puts in one PATCH. */
const membersPerPatch = 10;

async function inStreams(concurrency: number, total: number, work: (item: number) => Promise<void>): Promise<void> {
  let next = 0;
  const stream = async () => {
    while (next < total) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, stream));
}

/**
 * Replays Entra ID's initial provisioning cycle request by request in Entra's shapes (COMPATIBILITY.md
 * §1): for each new user a userName match then a POST; for each group a displayName match (members
 * excluded) then a POST; then members added ten per PATCH. Every answer's status is checked.
 */
export async function replayEntraCycle(job: ReplayJob): Promise<ReplayFigures> {
  const session = new HttpSession(job.origin, job.token, job.concurrency, entraProfile.contentType);
  const all = new LatencyRecorder();
  const phases: ReplayPhase[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let phase = new LatencyRecorder();
  const send = async (step: string, method: string, path: string, body: unknown, expected: readonly number[]): Promise<SessionResponse> => {
    const response = await session.send(method, path, body);
    all.record(response.status, response.ms);
    phase.record(response.status, response.ms);
    if (!expected.includes(response.status)) {
      failures += 1;
      firstFailure ??= `${step}: ${method} ${path} answered ${response.status}: ${response.text.slice(0, 300)}`;
    }
    return response;
  };
  const runPhase = async (name: string, total: number, work: (item: number) => Promise<void>) => {
    phase = new LatencyRecorder();
    const started = performance.now();
    await inStreams(job.concurrency, total, work);
    const seconds = (performance.now() - started) / 1000;
    const latency = phase.summary();
    phases.push({ name, requests: phase.count, seconds, rps: phase.count / Math.max(seconds, 0.001), p50Ms: latency.p50Ms, p99Ms: latency.p99Ms });
  };

  const started = performance.now();
  const userIds: string[] = new Array<string>(job.users);
  const groupIds: string[] = new Array<string>(job.groups);
  try {
    await runPhase("match and create users", job.users, async (item) => {
      const index = job.firstNewIndex + item;
      const match = await send("match user", "GET", `${job.basePath}/Users?${filterQuery(`userName eq "${userFacts(job.plan, index).userName}"`)}`, undefined, [200]);
      if (!match.text.includes('"totalResults":0')) {
        failures += 1;
        firstFailure ??= `match user ${index}: expected no match, got ${match.text.slice(0, 200)}`;
      }
      const created = await send("create user", "POST", `${job.basePath}/Users`, userBody(job.plan, index), [201]);
      userIds[item] = created.status === 201 ? (JSON.parse(created.text) as { id: string }).id : "";
    });
    await runPhase("match and create groups", job.groups, async (item) => {
      const displayName = `Replay ${job.tag} Group ${item}`;
      await send("match group", "GET", `${job.basePath}/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${displayName.toLowerCase()}"`)}`, undefined, [200]);
      const created = await send("create group", "POST", `${job.basePath}/Groups`, replayGroupBody(displayName, `${job.tag}-${item}`), [201]);
      groupIds[item] = created.status === 201 ? (JSON.parse(created.text) as { id: string }).id : "";
    });
    // Each new user joins one group; members go in ten per PATCH, as Entra batches them.
    const batches: { group: string; members: string[] }[] = [];
    for (let group = 0; group < job.groups; group++) {
      const members = userIds.filter((id, item) => item % job.groups === group && id !== "");
      for (let start = 0; start < members.length; start += membersPerPatch) batches.push({ group: groupIds[group] ?? "", members: members.slice(start, start + membersPerPatch) });
    }
    await runPhase("add members", batches.length, async (item) => {
      const batch = batches[item]!;
      await send("add members", "PATCH", `${job.basePath}/Groups/${batch.group}`, entraMembersAdd(batch.members), [200, 204]);
    });
  } finally {
    session.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const latency = all.summary();
  return { seconds, requests: all.count, rps: all.count / seconds, p50Ms: latency.p50Ms, p99Ms: latency.p99Ms, maxMs: latency.maxMs, failures, ...(firstFailure ? { firstFailure } : {}), phases };
}
