import type { BenchReport } from "./bench-report.js";
import { describeDatabase, describePostgresData } from "./database-info.js";

type Row = readonly string[];

function table(header: Row, rows: readonly Row[]): string {
  const line = (row: Row) => `| ${row.join(" | ")} |`;
  return [line(header), `|${header.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`, ...rows.map(line)].join("\n");
}

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));
const mb = (value: number | undefined) => (value === undefined ? "–" : value.toFixed(0));

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
  out.push(`- **Tenant**: ${int(dataset.plan.users)} users, ${int(dataset.plan.groups)} groups, big group ${int(dataset.plan.bigGroupSize)} members; ${report.database?.kind === "postgres" ? "SQLite cache" : "database"} ${int(dataset.databaseMb)} MB; ${dataset.generated ? `generated in ${int(dataset.generationSeconds)} s in this run` : `from the cache (generation took ${int(dataset.generationSeconds)} s)`}`);
  const postgresData = describePostgresData(report.database);
  if (postgresData) out.push(`- **PostgreSQL**: ${postgresData}`);
  out.push(`- **Runs**: ${report.options.durationSeconds} s measured after ${report.options.warmupSeconds} s of warm-up; whole bench ${report.totalSeconds === undefined ? "?" : `${(report.totalSeconds / 60).toFixed(1)} min`}`);
  if (report.startup) out.push(`- **Startup** to the first answered lookup: ${int(report.startup.musterStartupMs)} ms (ceiling ${int(report.startup.ceilingStartupMs)} ms); **idle RSS** ${mb(report.startup.idleRssMb)} MB`);
  out.push("");
  out.push(
    table(
      ["Scenario", "conn.", "Muster req/s", "p50 ms", "p99 ms", "Ceiling req/s", "p50 ms", "p99 ms", "ratio", "peak RSS MB"],
      report.scenarios.map((result) => [
        `${result.scenario}${result.muster.unexpected + result.muster.errors > 0 ? ` (${result.muster.unexpected + result.muster.errors} errors)` : ""}`,
        String(result.connections),
        int(result.muster.rps),
        ms(result.muster.p50Ms),
        ms(result.muster.p99Ms),
        result.ceiling ? int(result.ceiling.rps) : "–",
        result.ceiling ? ms(result.ceiling.p50Ms) : "–",
        result.ceiling ? ms(result.ceiling.p99Ms) : "–",
        result.ratio === undefined ? "–" : result.ratio.toFixed(2),
        mb(result.rssPeakMb),
      ]),
    ),
  );
  if (report.paging.length > 0) {
    out.push("");
    out.push(
      table(
        ["Paging all users, count=1000", "pages", "Muster s", "p50 ms", "p99 ms", "Ceiling s", "ratio", "peak RSS MB"],
        report.paging.map((result) => [
          `by ${result.mode}${result.muster.complete ? "" : " (stopped at the time limit)"}`,
          int(result.muster.pages),
          result.muster.seconds.toFixed(1),
          ms(result.muster.p50Ms),
          ms(result.muster.p99Ms),
          result.ceiling ? result.ceiling.seconds.toFixed(1) : "–",
          result.ratio === undefined ? "–" : result.ratio.toFixed(2),
          mb(result.rssPeakMb),
        ]),
      ),
    );
  }
  if (report.replay) {
    const { replay } = report;
    out.push("");
    out.push(`Entra initial cycle: ${int(replay.users)} new users, ${int(replay.groups)} groups, ${replay.concurrency} parallel streams; ${replay.muster.failures} failed steps on Muster.`);
    out.push("");
    out.push(
      table(
        ["Phase", "requests", "Muster req/s", "p50 ms", "p99 ms", "Ceiling req/s", "ratio"],
        [
          ...replay.muster.phases.map((phase, index) => {
            const ceiling = replay.ceiling?.phases[index];
            return [phase.name, int(phase.requests), int(phase.rps), ms(phase.p50Ms), ms(phase.p99Ms), ceiling ? int(ceiling.rps) : "–", ceiling ? (phase.rps / ceiling.rps).toFixed(2) : "–"];
          }),
          [`whole cycle: ${replay.muster.seconds.toFixed(1)} s (ceiling ${replay.ceiling?.seconds.toFixed(1) ?? "–"} s), peak RSS ${mb(replay.rssPeakMb)} MB`, int(replay.muster.requests), int(replay.muster.rps), ms(replay.muster.p50Ms), ms(replay.muster.p99Ms), replay.ceiling ? int(replay.ceiling.rps) : "–", replay.ratio === undefined ? "–" : replay.ratio.toFixed(2)],
        ],
      ),
    );
  }
  out.push("");
  out.push(table(["Target", "", "Measured"], report.targets.map((target) => [target.target, target.met === undefined ? "not measured" : target.met ? "**met**" : "**missed**", target.measured])));
  return out.join("\n");
}
