import type { BenchReport, OutboundResult, ScenarioResult, TargetVerdict } from "./bench-report.js";
import { othersCores } from "./outbound-tables.js";

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
const ratio = (value: number | undefined) => (value === undefined ? "no ceiling" : value.toFixed(2));

function find(report: BenchReport, scenario: string, connections: number): ScenarioResult | undefined {
  return report.scenarios.find((result) => result.scenario === scenario && result.connections === connections);
}

function verdict(id: string, target: string, met: boolean | undefined, measured: string): TargetVerdict {
  return { id, target, met, measured };
}

const notMeasured = (id: string, target: string) => verdict(id, target, undefined, "not measured in this run");

/** A scenario's p99 at a connection count against a bound. */
function p99Below(report: BenchReport, id: string, target: string, scenarios: readonly string[], connections: number, boundMs: number): TargetVerdict {
  const results = scenarios.map((scenario) => find(report, scenario, connections));
  if (results.some((result) => result === undefined)) return notMeasured(id, target);
  const measured = results.map((result) => `${result!.scenario}: p99 ${ms(result!.muster.p99Ms)}`).join("; ");
  return verdict(id, target, results.every((result) => result!.muster.p99Ms < boundMs && result!.muster.unexpected === 0), `${measured} (${connections} conn.)`);
}

function ratioAtLeast(report: BenchReport, id: string, target: string, scenario: string, connections: number, bound: number): TargetVerdict {
  const result = find(report, scenario, connections);
  if (!result) return notMeasured(id, target);
  return verdict(id, target, result.ratio !== undefined && result.ratio >= bound, `ratio ${ratio(result.ratio)} (${Math.round(result.muster.rps)} vs ${Math.round(result.ceiling?.rps ?? 0)} req/s, ${connections} conn.)`);
}

/** Member changes cost the same on both groups: req/s within 20% at every connection count measured. */
function memberParity(report: BenchReport): TargetVerdict {
  const target = "member add/remove within 20% between the 10-member and the big group";
  const pairs = report.scenarios
    .filter((result) => result.scenario === "big-group-members")
    .map((big) => ({ big, small: find(report, "small-group-members", big.connections) }))
    .filter((pair): pair is { big: ScenarioResult; small: ScenarioResult } => pair.small !== undefined);
  if (pairs.length === 0) return notMeasured("member-parity", target);
  const within = pairs.every(({ big, small }) => Math.abs(big.muster.rps / small.muster.rps - 1) <= 0.2);
  const measured = pairs.map(({ big, small }) => `${big.connections} conn.: ${Math.round(big.muster.rps)} vs ${Math.round(small.muster.rps)} req/s (${((big.muster.rps / small.muster.rps - 1) * 100).toFixed(0)}%)`).join("; ");
  return verdict("member-parity", target, within, measured);
}

/** With members, the big group is streamed: Muster's RSS grows by less than the body it sends. */
function membersStreamed(report: BenchReport): TargetVerdict {
  const target = "GET big group with members streamed, not loaded whole (RSS growth < body size)";
  const result = find(report, "big-group-get-members", 1);
  if (!result || result.rssPeakMb === undefined || result.rssBeforeMb === undefined) return notMeasured("members-streamed", target);
  const growth = result.rssPeakMb - result.rssBeforeMb;
  const bodyMb = result.muster.meanBytes / 1024 / 1024;
  return verdict("members-streamed", target, growth < bodyMb, `RSS ${result.rssBeforeMb.toFixed(0)} → ${result.rssPeakMb.toFixed(0)} MB (+${growth.toFixed(0)} MB) for a ${bodyMb.toFixed(1)} MB body; p99 ${ms(result.muster.p99Ms)}`);
}

function paging(report: BenchReport): TargetVerdict[] {
  const timeTarget = "paging all users with count=1000 < 60 s";
  const rssTarget = "paging all users: Muster RSS < 300 MB throughout";
  if (report.paging.length === 0) return [notMeasured("paging-time", timeTarget), notMeasured("paging-rss", rssTarget)];
  const time = report.paging.map((result) => `${result.mode}: ${result.muster.complete ? "" : "stopped after "}${result.muster.seconds.toFixed(1)} s for ${result.muster.pages} pages`).join("; ");
  const rss = report.paging.map((result) => `${result.mode}: ${result.rssPeakMb?.toFixed(0) ?? "?"} MB`).join("; ");
  return [
    verdict("paging-time", timeTarget, report.paging.every((result) => result.muster.complete && result.muster.failures === 0 && result.muster.seconds < 60), time),
    verdict("paging-rss", rssTarget, report.paging.every((result) => result.rssPeakMb !== undefined && result.rssPeakMb < 300), rss),
  ];
}

/** Creates at 16 connections scale with the connections (no queue on one row): at least twice the 1-connection rate. */
function createsScale(report: BenchReport): TargetVerdict {
  const target = "16 concurrent creates in one tenant scale with connections (≥ 2× the 1-connection rate)";
  const one = find(report, "users-create", 1);
  const sixteen = find(report, "users-create", 16);
  if (!one || !sixteen) return notMeasured("creates-scale", target);
  const factor = sixteen.muster.rps / one.muster.rps;
  return verdict("creates-scale", target, factor >= 2, `${Math.round(one.muster.rps)} → ${Math.round(sixteen.muster.rps)} req/s (×${factor.toFixed(1)}; ceiling ×${((sixteen.ceiling?.rps ?? 0) / (one.ceiling?.rps ?? 1)).toFixed(1)})`);
}

/** The targets of issue 12 (the hot path), which differ by database: ratios to the ceiling at 16 connections. */
function hotPathTargets(report: BenchReport): TargetVerdict[] {
  if (report.database?.kind === "postgres") {
    return [
      ...(["users-lookup", "groups-lookup", "users-get"] as const).map((scenario) => ratioAtLeast(report, `pg-${scenario}`, `${scenario} ≥ 0.5 of the PostgreSQL ceiling (16 connections)`, scenario, 16, 0.5)),
      ...(["users-create", "users-patch", "users-replace", "big-group-members", "small-group-members"] as const).map((scenario) =>
        ratioAtLeast(report, `pg-${scenario}`, `${scenario} ≥ 0.4 of the PostgreSQL ceiling (16 connections)`, scenario, 16, 0.4),
      ),
      createsScale(report),
    ];
  }
  return [
    ...(["users-lookup", "users-get"] as const).map((scenario) => ratioAtLeast(report, `hot-${scenario}`, `${scenario} ≥ 0.5 of ceiling (16 connections)`, scenario, 16, 0.5)),
    p99Below(report, "hot-read-p99", "userName lookup and GET by id p99 < 5 ms (16 connections)", ["users-lookup", "users-get"], 16, 5),
    ...(["users-create", "users-patch", "users-replace"] as const).map((scenario) => ratioAtLeast(report, `hot-${scenario}`, `${scenario} ≥ 0.5 of ceiling, durable commits (16 connections)`, scenario, 16, 0.5)),
  ];
}

/** Issue 13: the engine creates users at ≥ 0.7 of a plain load generator's rate on the same target. */
function outboundRatio(outbound: OutboundResult): TargetVerdict {
  const target = "outbound initial cycle: engine users/s ≥ 0.7 of a plain load generator creating the same users on the same target";
  const { push } = outbound;
  const users = push?.stages.find((stage) => stage.name === "users");
  if (!outbound.ratio || !outbound.generator || !push || !users) return notMeasured("outbound-ratio", target);
  const engineRate = users.objects / users.seconds;
  const complete = push.arrived.users === push.plan.users && push.failedRequests === 0 && outbound.generator.failures === 0;
  const busy = Math.max(othersCores(push.cpu) ?? 0, othersCores(outbound.generator.cpu) ?? 0);
  const disturbed = busy >= 0.25 ? `; other processes kept up to ${busy.toFixed(2)} cores busy, so the two rates are doubtful` : "";
  const measured = `ratio ${outbound.ratio.users.toFixed(2)} (engine ${engineRate.toFixed(0)} users/s, generator ${outbound.generator.usersPerSecond.toFixed(0)}); requests/s ratio ${outbound.ratio.requests.toFixed(2)}, the engine sending ${(users.requests / Math.max(1, users.objects)).toFixed(2)} requests per user${complete ? "" : "; not every user arrived, or requests failed"}${disturbed}`;
  return verdict("outbound-ratio", target, complete && outbound.ratio.users >= 0.7, measured);
}

/** Issue 13: a change reaches the target within a second (p99) at 100 changes/s. */
function outboundLag(outbound: OutboundResult): TargetVerdict {
  const target = "outbound incremental lag, source 2xx → target 2xx: p99 < 1 s at 100 changes/s";
  const at100 = outbound.lag.find((lag) => lag.rate === 100);
  if (!at100) return notMeasured("outbound-lag", target);
  const measured = outbound.lag.map((lag) => `${lag.rate}/s: p50 ${ms(lag.p50Ms)}, p99 ${ms(lag.p99Ms)}, max ${ms(lag.maxMs)}${lag.unmatched + lag.refused > 0 ? ` (${lag.unmatched} not found applied, ${lag.refused} refused)` : ""}`).join("; ");
  return verdict("outbound-lag", target, at100.p99Ms < 1000 && at100.unmatched === 0 && at100.refused === 0, measured);
}

/** Issue 13: the engine's memory stays flat and under 300 MB while it pushes 1,000,000 users. */
function outboundRss(outbound: OutboundResult): TargetVerdict {
  const target = "outbound: RSS of the engine's process flat, < 300 MB, while pushing 1,000,000 users";
  const large = outbound.large;
  if (!large || large.rss.enginePeakMb === undefined || !large.rss.engine) return notMeasured("outbound-rss", target);
  const { engine, enginePeakMb } = large.rss;
  const size = large.plan.users === 1_000_000 ? "" : ` (this run pushed ${large.plan.users.toLocaleString("en-US")} users)`;
  const measured = `peak ${enginePeakMb.toFixed(0)} MB; ${engine.samples} samples ${engine.minMb.toFixed(0)}–${engine.maxMb.toFixed(0)} MB, first tenth ${engine.firstMb.toFixed(0)} MB, last tenth ${engine.lastMb.toFixed(0)} MB${size}`;
  return verdict("outbound-rss", target, enginePeakMb < 300 && large.arrived.users === large.plan.users, measured);
}

/**
 * Checks the targets of issue 12 (per database) and of issue 6 (stated for 1,000,000 users on SQLite)
 * against a run, unless only the outbound scenario ran; and those of issue 13 when it did.
 */
export function evaluateTargets(report: BenchReport): TargetVerdict[] {
  const outbound = report.outbound ? [outboundRatio(report.outbound), outboundLag(report.outbound), outboundRss(report.outbound)] : [];
  if (report.outbound && !report.dataset) return outbound;
  return [...mainTargets(report), ...outbound];
}

function mainTargets(report: BenchReport): TargetVerdict[] {
  const startup = report.startup;
  const filterScenarios = ["filter-work-email", "filter-family-sw", "filter-username-co"];
  return [
    // Issue 12's targets include issue 6's lookup and create targets (stricter for creates).
    ...hotPathTargets(report),
    p99Below(report, "member-p99", "group member add/remove p99 < 10 ms (16 connections)", ["big-group-members", "small-group-members"], 16, 10),
    memberParity(report),
    p99Below(report, "excluded-p99", "GET big group ?excludedAttributes=members p99 < 5 ms (16 connections)", ["big-group-get-excluded"], 16, 5),
    membersStreamed(report),
    p99Below(report, "filters-p99", "non-indexed filters p99 < 250 ms (1 connection)", filterScenarios, 1, 250),
    ...paging(report),
    startup ? verdict("startup", "startup to first answered request < 1 s", startup.musterStartupMs < 1000, ms(startup.musterStartupMs)) : notMeasured("startup", "startup < 1 s"),
    startup?.idleRssMb !== undefined
      ? verdict("idle-rss", "idle RSS < 120 MB", startup.idleRssMb < 120, `${startup.idleRssMb.toFixed(0)} MB`)
      : notMeasured("idle-rss", "idle RSS < 120 MB"),
  ];
}
