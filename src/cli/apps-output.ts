import type { App, AppCounts, AppLogEntry, ConnectionReport, ProvisionResult } from "../../shared/admin-api.js";
import { printTable } from "./output.js";

/** Counts in a few words: "3 created, 1 updated, 2 failed" (zeros left out). */
export function describeCounts(counts: AppCounts): string {
  const parts = (Object.entries(counts) as [keyof AppCounts, number][]).filter(([, value]) => value > 0).map(([name, value]) => `${value} ${name}`);
  return parts.length === 0 ? "nothing yet" : parts.join(", ");
}

/** The status column: what the app does now, with the quarantine's reason or the cycle's progress. */
function statusText(app: App): string {
  const { status } = app;
  if (status.phase === "quarantined") return `quarantined: ${status.quarantine?.reason ?? ""}`;
  if (status.currentCycle) return `${status.phase} (${status.currentCycle.stage}, ${status.currentCycle.done}/${status.currentCycle.total})`;
  return status.phase;
}

/** Apps as a table: id, name, provisioning, status, last cycle, counts to date, backlog. */
export function printApps(apps: readonly App[]): void {
  printTable(
    apps.map((app) => ({
      ID: app.id,
      NAME: app.name,
      PROVISIONING: app.provisioning,
      STATUS: statusText(app),
      "LAST CYCLE": app.status.lastCycle ? `${app.status.lastCycle.kind} ${app.status.lastCycle.outcome} ${app.status.lastCycle.endedAt} (${describeCounts(app.status.lastCycle.counts)})` : "none",
      COUNTS: describeCounts(app.status.totals),
      BACKLOG: app.status.backlog ? `${app.status.backlog.count === app.status.backlog.cap ? "≥" : ""}${app.status.backlog.count}` : "-",
    })),
    ["ID", "NAME", "PROVISIONING", "STATUS", "LAST CYCLE", "COUNTS", "BACKLOG"],
  );
}

/** Test Connection's probes in words: ✓ passed, ! passed with a reservation, ✗ failed; then the verdict. */
export function printConnectionReport(report: ConnectionReport): void {
  for (const probe of report.probes) {
    const mark = !probe.ok ? "✗" : probe.warning ? "!" : "✓";
    console.log(`${mark} ${probe.summary}${probe.required || probe.ok ? "" : " (optional)"}`);
    if (probe.detail) console.log(`    The target said: ${probe.detail}`);
    if (!probe.ok && probe.fix) console.log(`    Fix: ${probe.fix}`);
  }
  console.log(report.ok ? "Test Connection passed." : "Test Connection failed.");
}

/** On-demand provisioning: the decision, each step, each exchange, and what a dry run would send. */
export function printProvisionResult(result: ProvisionResult): void {
  console.log(`${result.type} ${result.id}: ${result.dryRun ? "dry run, nothing sent" : result.outcome} (${result.plan}: ${result.reason})`);
  for (const step of result.steps) console.log(`  ${step.step}: ${step.summary}`);
  for (const exchange of result.exchanges) console.log(`  ${exchange.method} ${exchange.path} → ${exchange.status ?? exchange.error ?? "no answer"} (${exchange.durationMs} ms)`);
  if (result.wouldSend) {
    console.log(`  would send: ${result.wouldSend.method} ${result.wouldSend.path}`);
    if (result.wouldSend.body !== null) console.log(JSON.stringify(result.wouldSend.body, null, 2).replace(/^/gm, "    "));
  }
  if (result.log?.error) console.log(`  error: ${result.log.error}`);
  if (result.log?.fix) console.log(`  fix: ${result.log.fix}`);
}

/** Provisioning log entries as a table, newest first. */
export function printAppLog(entries: readonly AppLogEntry[]): void {
  printTable(
    entries.map((entry) => ({
      AT: entry.at,
      ACTION: entry.action,
      STATUS: entry.status,
      TYPE: entry.resourceType,
      NAME: entry.display ?? "",
      SOURCE: entry.sourceId,
      TARGET: entry.targetId ?? "",
      CYCLE: entry.cycle,
      ERROR: entry.error ?? "",
    })),
    ["AT", "ACTION", "STATUS", "TYPE", "NAME", "SOURCE", "TARGET", "CYCLE", "ERROR"],
  );
}
