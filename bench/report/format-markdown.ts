import { workersOf, type BenchReport } from "./bench-report.js";
import { describeDatabase, describePostgresData } from "./database-info.js";
import { targetsTitle } from "./format-report.js";
import { outboundBlocks } from "./outbound-tables.js";
import { int, mb, ms, pagingTable, replayTable, scenarioTable, type ResultTable } from "./result-tables.js";

type Row = readonly string[];

function table({ header, rows }: ResultTable): string {
  const line = (row: Row) => `| ${row.join(" | ")} |`;
  return [line(header), `|${header.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`, ...rows.map(line)].join("\n");
}

/** A run as Markdown for docs/performance.md: setup, scenarios, paging, replay, targets. */
export function formatMarkdown(report: BenchReport): string {
  const { machine, dataset } = report;
  const out: string[] = [];
  const busy = [...report.idle.before.busyProcesses, ...(report.idle.after?.busyProcesses ?? [])];
  out.push(`- **Date**: ${report.date}; Muster ${machine.musterCommit}`);
  out.push(`- **Machine**: ${machine.cpuModel}, ${machine.cores} cores, ${int(machine.memoryMb)} MB RAM; ${machine.os}; Node ${machine.node}`);
  out.push(`- **Database**: ${describeDatabase(report.database, machine.sqlite)}`);
  out.push(`- **Disk** (4 KiB write + fdatasync): p50 ${ms(report.disk.before.p50Ms)} ms, p99 ${ms(report.disk.before.p99Ms)} ms before the runs${report.disk.after ? `; p50 ${ms(report.disk.after.p50Ms)} ms, p99 ${ms(report.disk.after.p99Ms)} ms after` : ""}`);
  out.push(`- **Load**: load average ${report.idle.before.loadAverage.map((value) => value.toFixed(2)).join(" ")} before the run; ${busy.length === 0 ? "no other process used 10% of a core when checked before and after" : `other busy processes: ${busy.join("; ")}`}`);
  if (dataset) {
    out.push(`- **Tenant**: ${int(dataset.plan.users)} users, ${int(dataset.plan.groups)} groups, big group ${int(dataset.plan.bigGroupSize)} members; ${report.database?.kind === "postgres" ? "SQLite cache" : "database"} ${int(dataset.databaseMb)} MB; ${dataset.generated ? `generated in ${int(dataset.generationSeconds)} s in this run` : `from the cache (generation took ${int(dataset.generationSeconds)} s)`}`);
    const postgresData = describePostgresData(report.database);
    if (postgresData) out.push(`- **PostgreSQL**: ${postgresData}`);
    out.push(`- **Runs**: ${report.options.durationSeconds} s measured after ${report.options.warmupSeconds} s of warm-up; ${workersOf(report)}; whole bench ${report.totalSeconds === undefined ? "?" : `${(report.totalSeconds / 60).toFixed(1)} min`}`);
  } else {
    out.push(`- **Run**: whole bench ${report.totalSeconds === undefined ? "?" : `${(report.totalSeconds / 60).toFixed(1)} min`}`);
  }
  if (report.startup) out.push(`- **Startup** to the first answered lookup: ${int(report.startup.musterStartupMs)} ms (ceiling ${int(report.startup.ceilingStartupMs)} ms); **idle RSS** ${mb(report.startup.idleRssMb)} MB`);
  if (report.scenarios.length > 0) {
    out.push("");
    out.push(table(scenarioTable(report.scenarios)));
  }
  if (report.paging.length > 0) {
    out.push("");
    out.push(table(pagingTable(report.paging)));
  }
  if (report.replay) {
    const { replay } = report;
    out.push("");
    out.push(`Entra initial cycle: ${int(replay.users)} new users, ${int(replay.groups)} groups, ${replay.concurrency} parallel streams; ${replay.muster.failures} failed steps on Muster.`);
    out.push("");
    out.push(table(replayTable(replay)));
  }
  if (report.outbound) {
    for (const block of outboundBlocks(report.outbound)) {
      out.push("");
      out.push(typeof block === "string" ? block : table(block));
    }
  }
  out.push("");
  out.push(`${targetsTitle(report)}:`);
  out.push("");
  out.push(table({ header: ["Target", "", "Measured"], rows: report.targets.map((target) => [target.target, target.met === undefined ? "not measured" : target.met ? "**met**" : "**missed**", target.measured]) }));
  return out.join("\n");
}
