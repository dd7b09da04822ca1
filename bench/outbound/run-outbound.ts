import { rmSync } from "node:fs";
import { join } from "node:path";
import type { App, AppLogEntry } from "../../shared/admin-api.js";
import { ensureDataset, type Dataset } from "../dataset/dataset-cache.js";
import { groupMemberIndexes } from "../dataset/generate-user.js";
import type { SampleGroup } from "../dataset/manifest.js";
import { planOutboundTenant, planTenant, type TenantPlan } from "../dataset/tenant-plan.js";
import type { CreateUsersFigures, CreateUsersJob } from "../load/create-users.js";
import type { LoadProgress } from "../dataset/load-tenant.js";
import { CpuWindow } from "../processes/cpu-time.js";
import { RssSampler } from "../processes/rss.js";
import type { OutboundLag, OutboundPush, OutboundResult, OutboundStage } from "../report/bench-report.js";
import { measureLag, writeChanges } from "./change-lag.js";
import { watchInitialCycle, type WatchedCycle } from "./initial-cycle.js";
import { generatorTenant, startOutboundServers, targetTenant, type OutboundServers } from "./outbound-servers.js";
import { TargetLog } from "./target-log.js";

/** How the outbound scenario runs (`npm run bench -- --only outbound`, options `--outbound-*`). */
export interface OutboundOptions {
  readonly users: number;
  readonly groups: number;
  /** Mean members per group. */
  readonly groupMembers: number;
  /** Rates of changes per second for the incremental lag, and seconds at each. */
  readonly lagRates: readonly number[];
  readonly lagSeconds: number;
  /** Whether the plain load generator creates the same users for the ratio. */
  readonly generator: boolean;
  /** With a number: also push a tenant of this many users (the main bench's plan) and follow the engine's RSS. */
  readonly largeUsers?: number;
  readonly sourceWorkers: number;
  readonly targetWorkers: number;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly keepWork: boolean;
  readonly cpuProfileDir?: string;
}

/** What the scenario needs from its caller: the generator (in the load-generator process), progress bars and a log. */
export interface OutboundDeps {
  createUsers(job: CreateUsersJob): Promise<CreateUsersFigures>;
  /** The process the generator runs in (its CPU time is reported). */
  readonly generatorPid: number;
  readonly progress: LoadProgress;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024 / 1024);
/** Every fifth change of the lag's adds a member to a group; the others PATCH a user. */
const memberEvery = 5;

/** The outbound scenario: the push of the planned tenant (with the generator and the lag), then optionally the large push. */
export async function runOutbound(options: OutboundOptions, root: string, deps: OutboundDeps): Promise<OutboundResult> {
  // 0 users: only the large push (a long run of its own).
  const main = options.users === 0 ? undefined : await pushTenant(options, root, deps, planOutboundTenant(options.users, options.groups, options.groupMembers), { generator: options.generator, lagRates: options.lagRates });
  let large: OutboundPush | undefined;
  if (options.largeUsers !== undefined) {
    deps.log(`Outbound: pushing ${options.largeUsers.toLocaleString("en-US")} users, RSS sampled every second…`);
    large = (await pushTenant(options, root, deps, planTenant(options.largeUsers), { generator: false, lagRates: [] })).push;
  }
  const ratio = main?.generator && main.generator.usersPerSecond > 0 ? ratios(main.push, main.generator) : undefined;
  return { ...(main ? { push: main.push } : {}), ...(main?.generator ? { generator: main.generator } : {}), ...(ratio ? { ratio } : {}), lag: main?.lag ?? [], ...(large ? { large } : {}) };
}

/** The bench's own processes, whose CPU is not "others'": this one and the load generator's. */
function benchPids(deps: OutboundDeps): Record<string, number> {
  return deps.generatorPid === process.pid ? { bench: process.pid } : { bench: process.pid, generator: deps.generatorPid };
}

/** Engine ÷ generator, users/s over the users stage and requests/s in it. */
function ratios(push: OutboundPush, generator: CreateUsersFigures): { users: number; requests: number } {
  const users = push.stages.find((stage) => stage.name === "users")!;
  return { users: users.objects / users.seconds / generator.usersPerSecond, requests: users.requests / users.seconds / generator.requestsPerSecond };
}

async function pushTenant(
  options: OutboundOptions,
  root: string,
  deps: OutboundDeps,
  plan: TenantPlan,
  parts: { generator: boolean; lagRates: readonly number[] },
): Promise<{ push: OutboundPush; generator?: OutboundResult["generator"]; lag: OutboundLag[] }> {
  deps.log(`Outbound source tenant: ${plan.users.toLocaleString("en-US")} users, ${plan.groups.toLocaleString("en-US")} groups (cache in ${options.dataDir})`);
  const dataset = await ensureDataset({ dataDir: options.dataDir, plan, fresh: options.fresh, progress: deps.progress });
  const { manifest } = dataset;
  deps.log(dataset.generated ? `Generated in ${manifest.generationSeconds.toFixed(0)} s.` : manifest.migratedFrom ? `Reusing ${dataset.file}, migrated from schema ${manifest.migratedFrom.schemaVersion} in ${manifest.migratedFrom.seconds.toFixed(0)} s.` : `Reusing ${dataset.file}.`);
  const runDir = join(options.dataDir, "outbound-run");
  deps.log("Starting the target and the source `muster serve`, creating the app…");
  const servers = await startOutboundServers({ root, dataset, runDir, sourceWorkers: options.sourceWorkers, targetWorkers: options.targetWorkers, ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }) });
  let generator: OutboundResult["generator"] | undefined;
  const lag: OutboundLag[] = [];
  let cycle: WatchedCycle;
  let memberships = 0;
  let arrived: OutboundPush["arrived"];
  const interrupt = () => void servers.stop().finally(() => process.exit(130));
  process.once("SIGINT", interrupt);
  try {
    deps.log("Provisioning on: the initial cycle…");
    cycle = await watchInitialCycle(servers, { maxSeconds: 120 + plan.users * 0.02 + plan.groups * 0.2, log: deps.log, benchPids: benchPids(deps) });
    deps.log(`Initial cycle done in ${((cycle.endedAt - cycle.startedAt) / 1000).toFixed(1)} s; engine peak RSS ${cycle.rss.enginePeakMb?.toFixed(0) ?? "?"} MB.`);
    arrived = await countInTarget(servers);
    memberships = sumMembers(await servers.admin.logsSince(servers.sourceTenant, servers.app.id, new Date(cycle.startedAt).toISOString(), "members"));
    if (parts.generator) {
      const concurrency = Number(servers.app.settings["maxConcurrency"] ?? 4);
      deps.log(`Plain load generator: POSTing the same ${plan.users.toLocaleString("en-US")} users into tenant "${generatorTenant}" of the same target, ${concurrency} in flight…`);
      const targetPeak = new RssSampler(servers.target.pid);
      targetPeak.start();
      const cpuWindow = new CpuWindow({ source: servers.source.pid, target: servers.target.pid, ...benchPids(deps) });
      const figures = await deps.createUsers({ origin: servers.target.origin, token: servers.generatorToken, basePath: `/scim/v2/${generatorTenant}`, plan, users: plan.users, concurrency, maxSeconds: 120 + plan.users * 0.02 });
      const cpu = cpuWindow.stop();
      const targetPeakRssMb = mb(targetPeak.stop());
      generator = { ...figures, concurrency, ...(targetPeakRssMb === undefined ? {} : { targetPeakRssMb }), ...(cpu ? { cpu } : {}) };
      deps.log(`  ${figures.created.toLocaleString("en-US")} users in ${figures.seconds.toFixed(1)} s: ${figures.usersPerSecond.toFixed(0)} users/s${figures.failures > 0 ? `; ${figures.failures} failures, first: ${figures.firstFailure}` : ""}`);
    }
    let userOffset = 0;
    let memberOffset = 0;
    for (const rate of parts.lagRates) {
      const result = await measureRate(servers, dataset, rate, options.lagSeconds, userOffset, memberOffset, deps.log);
      userOffset += result.userChanges;
      memberOffset += result.memberChanges;
      lag.push(result);
    }
  } finally {
    process.removeListener("SIGINT", interrupt);
    await servers.stop();
  }
  const push = await describePush(servers, dataset, plan, cycle, memberships, arrived, options);
  if (!options.keepWork) rmSync(runDir, { recursive: true, force: true });
  return { push, ...(generator ? { generator } : {}), lag };
}

/** The users and groups the target's tenant holds, by its own count. */
async function countInTarget(servers: OutboundServers): Promise<{ users: number; groups: number }> {
  const total = async (resource: string) => {
    const response = await fetch(`${servers.target.origin}/scim/v2/${targetTenant}/${resource}?count=0`, { headers: { authorization: `Bearer ${servers.targetToken}` } });
    if (response.status !== 200) throw new Error(`GET ${resource} on the target answered ${response.status}`);
    return (JSON.parse(await response.text()) as { totalResults: number }).totalResults;
  };
  return { users: await total("Users"), groups: await total("Groups") };
}

/** Member changes sent, from the engine's `members` log entries. */
function sumMembers(entries: readonly AppLogEntry[]): number {
  let sum = 0;
  for (const entry of entries) {
    if (entry.action !== "members" || entry.status !== "success") continue;
    const { added, removed } = entry.details as { added?: unknown; removed?: unknown };
    sum += (typeof added === "number" ? added : 0) + (typeof removed === "number" ? removed : 0);
  }
  return sum;
}

/**
 * Changes at one rate through the source's SCIM API (user PATCHes, every fifth a member added to a
 * group), then waits for the app's backlog to drain and matches each change with the log entry that
 * applied it.
 */
async function measureRate(servers: OutboundServers, dataset: Dataset, rate: number, seconds: number, userOffset: number, memberOffset: number, log: (line: string) => void): Promise<OutboundLag> {
  const { manifest } = dataset;
  const count = Math.max(1, Math.round(rate * seconds));
  const memberChanges = Math.floor(count / memberEvery);
  const userChanges = count - memberChanges;
  // User changes take sampled users from the front, new members from the back: no user is both.
  const users = manifest.users.slice(userOffset, userOffset + userChanges);
  const members = manifest.users.slice(Math.max(0, manifest.users.length - memberOffset - memberChanges), manifest.users.length - memberOffset).reverse();
  if (users.length < userChanges || members.length < memberChanges || userOffset + userChanges > manifest.users.length - memberOffset - memberChanges) {
    throw new Error(`${count} changes at ${rate}/s need more sampled users than the manifest has (${manifest.users.length}); shorten --outbound-lag-seconds`);
  }
  const additions = members.map((user, index) => ({ group: groupWithout(dataset, user.index, memberOffset + index), user }));
  const since = new Date(Date.now() - 1000).toISOString();
  log(`Incremental lag: ${count.toLocaleString("en-US")} changes at ${rate}/s (${userChanges} user PATCHes, ${memberChanges} members added)…`);
  const sent = await writeChanges({ origin: servers.source.origin, token: servers.sourceToken, basePath: `/scim/v2/${servers.sourceTenant}`, rate, seconds, users, additions, memberEvery, seed: rate });
  const drained = await waitForBacklog(servers, 120_000);
  if (!drained) log("  the app's backlog did not drain within 120 s: changes not applied by then count as unmatched");
  const entries = await servers.admin.logsSince(servers.sourceTenant, servers.app.id, since);
  const figures = measureLag(sent, entries);
  log(`  lag p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms; ${figures.refused} refused by the source, ${figures.unmatched} not found applied`);
  return { rate, seconds, userChanges, memberChanges, ...figures };
}

/**
 * A sampled group, taken in turn from `turn` on, that user `index` is not a member of (the generator
 * says who is), so that adding the user is a change the feed records.
 */
function groupWithout(dataset: Dataset, index: number, turn: number): SampleGroup {
  const { groups, plan } = dataset.manifest;
  for (let step = 0; step < groups.length; step++) {
    const group = groups[(turn + step) % groups.length]!;
    if (!groupMemberIndexes(plan, group.index).includes(index)) return group;
  }
  throw new Error(`user ${index} is a member of every sampled group`);
}

/** Waits until the app has applied every change (backlog 0); false after `maxMs`. */
async function waitForBacklog(servers: OutboundServers, maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const app: App = await servers.admin.app(servers.sourceTenant, servers.app.id);
    if (app.status.backlog?.count === 0) return true;
    await sleep(250);
  }
  return false;
}

/**
 * The push as the target saw it: its request log cut into the cycle's stages. A stage ends with the
 * target's answer to its last write: users with the last POST /Users, groups with the last POST
 * /Groups, members with the last PATCH /Groups/{id}; the rest (managers written again, bookkeeping)
 * runs to the cycle's end.
 */
async function describePush(servers: OutboundServers, dataset: Dataset, plan: TenantPlan, cycle: WatchedCycle, memberships: number, arrived: OutboundPush["arrived"], options: OutboundOptions): Promise<OutboundPush> {
  const log = await TargetLog.read(servers.targetLog, targetTenant);
  const from = cycle.startedAt;
  const to = cycle.endedAt + 1;
  const usersEnd = (log.lastOf("POST Users", from, to) ?? from) + 1;
  const groupsEnd = Math.max(usersEnd, (log.lastOf("POST Groups", from, to) ?? usersEnd) + 1);
  const membersEnd = Math.max(groupsEnd, (log.lastOf("PATCH Groups/{id}", from, to) ?? groupsEnd) + 1);
  const stage = (name: OutboundStage["name"], start: number, end: number, objects: number): OutboundStage => {
    const counted = log.count(start, end);
    return { name, objects, seconds: Math.max(0, end - start) / 1000, requests: counted.total, requestKinds: counted.byKind };
  };
  const counts = cycle.app.status.lastCycle?.counts ?? cycle.app.status.totals;
  const all = log.count(from, to);
  const { manifest } = dataset;
  return {
    plan,
    dataset: { cacheKey: manifest.cacheKey, schemaVersion: manifest.schemaVersion, generated: dataset.generated, generationSeconds: manifest.generationSeconds, ...(manifest.migratedFrom ? { migratedFrom: manifest.migratedFrom } : {}) },
    sourceWorkers: options.sourceWorkers,
    targetWorkers: options.targetWorkers,
    wallSeconds: (cycle.endedAt - cycle.resumedAt) / 1000,
    cycleSeconds: (cycle.endedAt - cycle.startedAt) / 1000,
    stages: [stage("users", from, usersEnd, arrived.users), stage("groups", usersEnd, groupsEnd, arrived.groups), stage("members", groupsEnd, membersEnd, memberships), stage("rest", membersEnd, to, 0)],
    requests: all.total,
    failedRequests: all.failed,
    counts: { ...counts },
    memberships,
    arrived,
    rss: cycle.rss,
    ...(cycle.cpu ? { cpu: cycle.cpu } : {}),
  };
}
