import type { TenantPlan } from "../dataset/tenant-plan.js";
import type { CreateUsersFigures } from "../load/create-users.js";
import type { CpuUse } from "../processes/cpu-time.js";
import type { ReplayFigures } from "../load/entra-replay.js";
import type { LoadFigures } from "../load/run-load.js";
import type { PagingFigures } from "../load/walk-pages.js";
import type { DatabaseInfo } from "./database-info.js";
import type { DiskProbe } from "./disk-probe.js";
import type { ExplainedList } from "./explain-lists.js";
import type { IdleCheck } from "./idle-check.js";
import type { MachineInfo } from "./machine.js";
import type { RssTrend } from "../outbound/rss-series.js";
import type { LagFigures } from "../outbound/change-lag.js";

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

/** One stage of an outbound initial cycle, timed and counted on the target's side. */
export interface OutboundStage {
  readonly name: "users" | "groups" | "members" | "rest";
  /** Objects the stage wrote: users or groups created, member changes sent; 0 for the rest. */
  readonly objects: number;
  readonly seconds: number;
  /** Requests the target answered for the app's tenant in the stage, by kind ("GET Users", "POST Users", …). */
  readonly requests: number;
  readonly requestKinds: Readonly<Record<string, number>>;
}

/** One outbound push: a source tenant provisioned by the engine into an empty tenant of a loopback Muster. */
export interface OutboundPush {
  readonly plan: TenantPlan;
  readonly dataset: { readonly cacheKey: string; readonly schemaVersion: string; readonly generated: boolean; readonly generationSeconds: number; readonly migratedFrom?: { readonly cacheKey: string; readonly schemaVersion: string; readonly seconds: number } };
  /** Worker processes of the source and the target `muster serve`. */
  readonly sourceWorkers: number;
  readonly targetWorkers: number;
  /** From resuming the app to the end of its initial cycle (the engine's own duration is `cycleSeconds`). */
  readonly wallSeconds: number;
  readonly cycleSeconds: number;
  readonly stages: readonly OutboundStage[];
  /** Requests the target answered for the app's tenant during the cycle, and how many were not 2xx. */
  readonly requests: number;
  readonly failedRequests: number;
  /** The app's counts at the end of the cycle (created, updated, failed…). */
  readonly counts: Readonly<Record<string, number>>;
  /** Member changes the engine sent (sum of its `members` log entries). */
  readonly memberships: number;
  /** What the target holds afterwards (its own totalResults). */
  readonly arrived: { readonly users: number; readonly groups: number };
  /** Peak RSS (MB) during the cycle: the source process tree, the process running the engine, the target process tree. */
  readonly rss: { readonly sourcePeakMb?: number; readonly enginePeakMb?: number; readonly targetPeakMb?: number; readonly engine?: RssTrend; readonly target?: RssTrend };
  /** CPU from resuming the app to the cycle's end: `own.source`, `own.target` (process trees), the bench's processes, and `others`. */
  readonly cpu?: CpuUse;
}

/** Incremental lag at one rate of changes. */
export interface OutboundLag extends LagFigures {
  readonly rate: number;
  readonly seconds: number;
  readonly userChanges: number;
  readonly memberChanges: number;
}

/** The outbound scenario of issue 13. */
export interface OutboundResult {
  /** Absent when only the large push ran (`--outbound-users 0 --outbound-rss`). */
  readonly push?: OutboundPush;
  /** The plain load generator: the same users POSTed into a fresh tenant of the same target at the engine's concurrency. */
  readonly generator?: CreateUsersFigures & { readonly concurrency: number; readonly targetPeakRssMb?: number; readonly cpu?: CpuUse };
  /** Engine ÷ generator: users/s, and requests/s (the engine matches before it creates). */
  readonly ratio?: { readonly users: number; readonly requests: number };
  readonly lag: readonly OutboundLag[];
  /** With --outbound-rss: a push of a large tenant (1,000,000 users) with the engine's RSS sampled every second. */
  readonly large?: OutboundPush;
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
  /** The tenant of the scenarios, paging and replay; absent when only the outbound scenario ran. */
  readonly dataset?: {
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
  outbound?: OutboundResult;
  targets: TargetVerdict[];
  readonly totalSeconds?: number;
}

/** The processes of each server, for a report's header. */
export function workersOf(report: BenchReport): string {
  const workers = report.options.workers ?? 1;
  return `Muster ${workers === 1 ? "one process" : `${workers} worker processes (muster serve --workers ${workers})`}, the ceiling one process`;
}
