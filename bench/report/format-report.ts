import { workersOf, type BenchReport } from "./bench-report.js";
import { describeDatabase, describePostgresData } from "./database-info.js";
import { outboundBlocks } from "./outbound-tables.js";
import { int, mb, ms, pagingTable, replayTable, scenarioTable, type ResultTable } from "./result-tables.js";

type Row = readonly string[];

/** A plain-text table: first column left-aligned, the others right-aligned, a rule under the header. */
export function formatTable({ header, rows }: ResultTable): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: Row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ").trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** Which issues' targets a report checks, and at what size the main ones were measured. */
export function targetsTitle(report: BenchReport): string {
  const { dataset } = report;
  const parts: string[] = [];
  if (dataset || !report.outbound) {
    const scale = !dataset || dataset.plan.users === 1_000_000 ? "" : ` (issue 6 states its targets for 1,000,000 users; this run has ${int(dataset.plan.users)})`;
    parts.push(`issues 12 and 6${scale}`);
  }
  if (report.outbound) parts.push("issue 13 (outbound provisioning)");
  return `Targets of ${parts.join(", and of ")}`;
}

/** The run as text for a terminal: setup, one row per scenario and connection count, paging, replay, targets. */
export function formatReport(report: BenchReport): string {
  const { machine, dataset } = report;
  const out: string[] = [];
  out.push(`Muster benchmark — ${report.date}`);
  out.push(`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${int(machine.memoryMb)} MB; ${machine.os}; Node ${machine.node}; ${describeDatabase(report.database, machine.sqlite)}; Muster ${machine.musterCommit}`);
  if (dataset) {
    out.push(`Tenant: ${int(dataset.plan.users)} users, ${int(dataset.plan.groups)} groups (big group ${int(dataset.plan.bigGroupSize)} members), ${report.database?.kind === "postgres" ? "SQLite cache" : "database"} ${int(dataset.databaseMb)} MB, ${dataset.generated ? `generated in ${dataset.generationSeconds.toFixed(0)} s` : "from the cache"}`);
    const postgresData = describePostgresData(report.database);
    if (postgresData) out.push(postgresData);
    out.push(`Runs: ${report.options.durationSeconds} s each after ${report.options.warmupSeconds} s of warm-up; ${workersOf(report)}; load average before ${report.idle.before.loadAverage.map((v) => v.toFixed(2)).join(" ")}`);
  } else {
    out.push(`Load average before ${report.idle.before.loadAverage.map((v) => v.toFixed(2)).join(" ")}`);
  }
  const disk = (probe: { p50Ms: number; p99Ms: number } | undefined) => (probe ? `p50 ${ms(probe.p50Ms)} ms, p99 ${ms(probe.p99Ms)} ms` : "–");
  out.push(`Disk (4 KiB write + fdatasync): before ${disk(report.disk.before)}; after ${disk(report.disk.after)}`);
  const busy = [...report.idle.before.busyProcesses, ...(report.idle.after?.busyProcesses ?? [])];
  if (busy.length > 0) out.push(`Not idle — other busy processes: ${busy.join("; ")}`);
  if (report.startup) out.push(`Startup to first answer: Muster ${int(report.startup.musterStartupMs)} ms (ceiling ${int(report.startup.ceilingStartupMs)} ms); Muster idle RSS ${mb(report.startup.idleRssMb)} MB`);
  if (report.scenarios.length > 0) {
    out.push("");
    out.push(formatTable(scenarioTable(report.scenarios)));
  }
  if (report.paging.length > 0) {
    out.push("");
    out.push(formatTable(pagingTable(report.paging)));
  }
  if (report.replay) {
    const { replay } = report;
    out.push("");
    out.push(`Entra initial cycle: ${int(replay.users)} new users, ${int(replay.groups)} groups, ${replay.concurrency} streams`);
    out.push(formatTable(replayTable(replay)));
    if (replay.muster.failures > 0) out.push(`Replay failures on Muster: ${replay.muster.failures}; first: ${replay.muster.firstFailure ?? ""}`);
  }
  for (const explained of report.explained ?? []) {
    out.push("");
    out.push(`${explained.label}: ${new URLSearchParams(explained.query).toString()}`);
    for (const statement of explained.statements) {
      out.push(`  ${statement.role} (${statement.ms.toFixed(1)} ms): ${statement.sql}`);
      for (const line of statement.plan) out.push(`    ${line}`);
    }
  }
  if (report.outbound) {
    for (const block of outboundBlocks(report.outbound)) {
      out.push("");
      out.push(typeof block === "string" ? block : formatTable(block));
    }
  }
  out.push("");
  out.push(`${targetsTitle(report)}:`);
  for (const target of report.targets) {
    const mark = target.met === undefined ? "  ?  " : target.met ? " met " : "MISS ";
    out.push(`  [${mark}] ${target.target} — ${target.measured}`);
  }
  return out.join("\n");
}
