import type { TenantPlan } from "../dataset/tenant-plan.js";
import type { ReplayFigures } from "../load/entra-replay.js";
import type { LoadFigures } from "../load/run-load.js";
import type { PagingFigures } from "../load/walk-pages.js";
import type { DatabaseInfo } from "./database-info.js";
import type { DiskProbe } from "./disk-probe.js";
import type { ExplainedList } from "./explain-lists.js";
import type { IdleCheck } from "./idle-check.js";
import type { MachineInfo } from "./machine.js";

/** One scenario at one connection count, against Muster and the ceiling. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly title: string;
  readonly connections: number;
  readonly muster: LoadFigures;
  readonly ceiling?: LoadFigures;
  /** Muster req/s ÷ ceiling req/s in the same run. */
  readonly ratio?: number;
  /** Muster's peak RSS during the measured run, and its RSS just before it (MB). */
  readonly rssPeakMb?: number;
  readonly rssBeforeMb?: number;
}

/** Walking all users by index or by cursor. */
export interface PagingResult {
  readonly mode: "index" | "cursor";
  readonly muster: PagingFigures;
  readonly ceiling?: PagingFigures;
  /** Ceiling seconds ÷ Muster seconds (both complete), i.e. Muster pages/s ÷ ceiling pages/s. */
  readonly ratio?: number;
  readonly rssPeakMb?: number;
}

/** The Entra initial-cycle replay. */
export interface ReplayResult {
  readonly users: number;
  readonly groups: number;
  readonly concurrency: number;
  readonly muster: ReplayFigures;
  readonly ceiling?: ReplayFigures;
  readonly ratio?: number;
  readonly rssPeakMb?: number;
}

/** One target of issue 6 and whether this run met it. */
export interface TargetVerdict {
  readonly id: string;
  readonly target: string;
  /** undefined when the run did not measure it. */
  readonly met: boolean | undefined;
  readonly measured: string;
}

/** Everything a run measured; `npm run bench -- --json FILE` writes it. */
export interface BenchReport {
  readonly date: string;
  readonly machine: MachineInfo;
  /** The database both servers ran on (absent in reports written before PostgreSQL runs existed: SQLite). */
  readonly database?: DatabaseInfo;
  readonly idle: { readonly before: IdleCheck; readonly after?: IdleCheck };
  /** fsync latency of the data directory's disk before and after the runs. */
  readonly disk: { readonly before: DiskProbe; readonly after?: DiskProbe };
  /** `workers`: Muster's worker processes (absent in reports written before workers existed: 1). */
  readonly options: { readonly durationSeconds: number; readonly warmupSeconds: number; readonly quick: boolean; readonly workers?: number };
  readonly dataset: {
    readonly plan: TenantPlan;
    readonly cacheKey: string;
    readonly schemaVersion: string;
    readonly generated: boolean;
    readonly generationSeconds: number;
    readonly databaseMb: number;
  };
  readonly startup?: { readonly musterStartupMs: number; readonly idleRssMb?: number; readonly ceilingStartupMs: number };
  /** With --explain: the SQL and query plans of the list requests. */
  explained?: ExplainedList[];
  readonly scenarios: ScenarioResult[];
  readonly paging: PagingResult[];
  replay?: ReplayResult;
  targets: TargetVerdict[];
  readonly totalSeconds?: number;
}

/** The processes of each server, for a report's header. */
export function workersOf(report: BenchReport): string {
  const workers = report.options.workers ?? 1;
  return `Muster ${workers === 1 ? "one process" : `${workers} worker processes (muster serve --workers ${workers})`}, the ceiling one process`;
}
