import type { CpuUse } from "../processes/cpu-time.js";
import type { OutboundPush, OutboundResult } from "./bench-report.js";
import { int, mb, ms, type ResultTable } from "./result-tables.js";

/** A block of the outbound section: a line of text or a table (each formatter lays them out its way). */
export type OutboundBlock = string | ResultTable;

const perSecond = (count: number, seconds: number) => (seconds > 0 ? count / seconds : 0);
const cpuPerUser = (seconds: number | undefined, users: number) => (seconds === undefined || users === 0 ? "–" : ((seconds * 1000) / users).toFixed(2));
const rate = (value: number) => (value >= 100 ? int(value) : value.toFixed(1));

/** The kinds of requests, most frequent first: "POST Users 100,000, GET Users 200,000". */
function kinds(byKind: Readonly<Record<string, number>>): string {
  return Object.entries(byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `${kind} ${int(count)}`)
    .join(", ");
}

/** One row per stage of the initial cycle, then the whole cycle. */
export function pushTable(push: OutboundPush): ResultTable {
  const objects = push.arrived.users + push.arrived.groups;
  return {
    header: ["Initial cycle", "objects", "s", "objects/s", "requests", "req/s", "requests by kind"],
    rows: [
      ...push.stages.map((stage) => [
        stage.name === "members" ? "members (changes)" : stage.name === "rest" ? "rest (managers, bookkeeping)" : stage.name,
        stage.name === "rest" ? "–" : int(stage.objects),
        stage.seconds.toFixed(1),
        stage.name === "rest" ? "–" : rate(perSecond(stage.objects, stage.seconds)),
        int(stage.requests),
        rate(perSecond(stage.requests, stage.seconds)),
        kinds(stage.requestKinds),
      ]),
      [`whole cycle (users and groups)`, int(objects), push.cycleSeconds.toFixed(1), rate(perSecond(objects, push.cycleSeconds)), int(push.requests), rate(perSecond(push.requests, push.cycleSeconds)), push.failedRequests > 0 ? `${int(push.failedRequests)} not 2xx` : "all 2xx"],
    ],
  };
}

/** The engine's users stage next to the plain load generator creating the same users. */
export function generatorTable(outbound: OutboundResult): ResultTable | undefined {
  const { generator, ratio, push } = outbound;
  const users = push?.stages.find((stage) => stage.name === "users");
  if (!generator || !push || !users) return undefined;
  return {
    header: ["Creating the users", "users", "s", "users/s", "req/s", "requests per user", "client CPU ms/user", "target CPU ms/user", "target peak RSS MB"],
    rows: [
      [
        "engine (users stage; CPU: whole cycle)",
        int(users.objects),
        users.seconds.toFixed(1),
        rate(perSecond(users.objects, users.seconds)),
        rate(perSecond(users.requests, users.seconds)),
        (users.requests / Math.max(1, users.objects)).toFixed(2),
        cpuPerUser(push.cpu?.own["source"], push.arrived.users),
        cpuPerUser(push.cpu?.own["target"], push.arrived.users),
        mb(push.rss.targetPeakMb),
      ],
      [
        `plain load generator (${generator.concurrency} in flight)`,
        int(generator.created),
        generator.seconds.toFixed(1),
        rate(generator.usersPerSecond),
        rate(generator.requestsPerSecond),
        (generator.requests / Math.max(1, generator.created)).toFixed(2),
        cpuPerUser(generator.cpu?.own["generator"] ?? generator.cpu?.own["bench"], generator.created),
        cpuPerUser(generator.cpu?.own["target"], generator.created),
        mb(generator.targetPeakRssMb),
      ],
      ["engine ÷ generator", "", "", ratio ? ratio.users.toFixed(2) : "–", ratio ? ratio.requests.toFixed(2) : "–", "", "", "", ""],
    ],
  };
}

/** One row per rate of changes. */
export function lagTable(outbound: OutboundResult): ResultTable {
  return {
    header: ["Changes/s", "changes", "user PATCHes", "members added", "lag p50 ms", "p95 ms", "p99 ms", "max ms", "not found applied", "refused"],
    rows: outbound.lag.map((lag) => [String(lag.rate), int(lag.accepted + lag.refused), int(lag.userChanges), int(lag.memberChanges), ms(lag.p50Ms), ms(lag.p95Ms), ms(lag.p99Ms), ms(lag.maxMs), int(lag.unmatched), int(lag.refused)]),
  };
}

/** Memory of a push in words: peaks, and the engine's samples. */
export function describeRss(push: OutboundPush): string {
  const { rss } = push;
  const trend = rss.engine ? `; engine samples (1 a second, ${int(rss.engine.samples)}): ${mb(rss.engine.minMb)}–${mb(rss.engine.maxMb)} MB, first tenth ${mb(rss.engine.firstMb)} MB, last tenth ${mb(rss.engine.lastMb)} MB, ${rss.engine.slopeMbPerMinute >= 0 ? "+" : ""}${rss.engine.slopeMbPerMinute.toFixed(2)} MB/min` : "";
  const source = push.sourceWorkers === 1 ? "" : ` (whole source, ${push.sourceWorkers} workers and their primary: ${mb(rss.sourcePeakMb)} MB)`;
  return `Peak RSS: the engine's process ${mb(rss.enginePeakMb)} MB${source}; the target ${mb(rss.targetPeakMb)} MB (${push.targetWorkers === 1 ? "one process" : `${push.targetWorkers} workers and their primary`})${trend}`;
}

/** What a push was: sizes, processes, where the tenant came from. */
export function describePush(push: OutboundPush): string {
  const { plan, dataset } = push;
  const members = push.plan.groupMembers === undefined ? `big group ${int(plan.bigGroupSize)} members, the rest 2–30` : `${plan.groupMembers} members on average`;
  const origin = dataset.generated ? `generated in ${int(dataset.generationSeconds)} s` : dataset.migratedFrom ? `cached, migrated from schema ${dataset.migratedFrom.schemaVersion} in ${int(dataset.migratedFrom.seconds)} s` : "cached";
  return `${int(plan.users)} users and ${int(plan.groups)} groups (${members}; tenant ${origin}) pushed by the source (muster serve --workers ${push.sourceWorkers}) into an empty tenant of the target (--workers ${push.targetWorkers}): ${int(push.arrived.users)} users, ${int(push.arrived.groups)} groups and ${int(push.memberships)} member changes arrived; cycle ${push.cycleSeconds.toFixed(1)} s (${push.wallSeconds.toFixed(1)} s from resuming the app); app counts ${Object.entries(push.counts).filter(([, count]) => count > 0).map(([name, count]) => `${name} ${int(count)}`).join(", ") || "none"}`;
}

/** The cores other processes kept busy on average, from a CPU window. */
export function othersCores(cpu: CpuUse | undefined): number | undefined {
  return cpu === undefined || cpu.seconds <= 0 ? undefined : cpu.others / cpu.seconds;
}

/** How busy the rest of the machine was while the engine and the generator ran. */
export function describeOthers(outbound: OutboundResult): string | undefined {
  const cycle = othersCores(outbound.push?.cpu);
  const generator = othersCores(outbound.generator?.cpu);
  if (cycle === undefined && generator === undefined) return undefined;
  const part = (name: string, cores: number | undefined) => (cores === undefined ? undefined : `${cores.toFixed(2)} cores on average during ${name}`);
  return `Other processes (not the bench's, the source's or the target's) kept busy ${[part("the initial cycle", cycle), part("the plain load generator", generator)].filter((text) => text !== undefined).join(", and ")}.`;
}

/** The outbound section of a report, in order. */
export function outboundBlocks(outbound: OutboundResult): OutboundBlock[] {
  const blocks: OutboundBlock[] = outbound.push ? [`Outbound provisioning: ${describePush(outbound.push)}.`, pushTable(outbound.push), describeRss(outbound.push)] : [];
  const generator = generatorTable(outbound);
  if (generator) blocks.push(generator);
  const others = describeOthers(outbound);
  if (others) blocks.push(others);
  if (outbound.generator && outbound.generator.failures > 0) blocks.push(`Generator failures: ${outbound.generator.failures}; first: ${outbound.generator.firstFailure ?? ""}`);
  if (outbound.lag.length > 0) blocks.push(lagTable(outbound));
  if (outbound.large) blocks.push(`Large push: ${describePush(outbound.large)}.`, pushTable(outbound.large), describeRss(outbound.large));
  return blocks;
}
