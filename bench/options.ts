import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError } from "commander";
import { defaultWorkerCap } from "../src/config.js";
import { defaultUsers, quickUsers } from "./dataset/tenant-plan.js";
import { scenarios } from "./scenarios/scenarios.js";

/** How a bench run is configured (`npm run bench -- --help`). */
export interface BenchOptions {
  readonly users: number;
  readonly quick: boolean;
  readonly fresh: boolean;
  readonly json?: string;
  readonly markdown?: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly dataDir: string;
  /** Scenario ids, "paging" and "replay" to run; undefined runs everything. */
  readonly only?: ReadonlySet<string>;
  readonly replayUsers: number;
  readonly replayConcurrency: number;
  readonly pagingLimitSeconds: number;
  /** Runs Muster with --cpu-prof, writing the profile here when it stops. */
  readonly cpuProfileDir?: string;
  /** Keeps the run's working copy of the database (for EXPLAIN QUERY PLAN afterwards). */
  readonly keepWork: boolean;
  /** Prints the SQL, query plan and time of each list request's statements before the runs. */
  readonly explain: boolean;
  /** Worker processes of `muster serve --workers` (the ceiling stays one process). */
  readonly workers: number;
  /** A postgres:// URL: both servers run on PostgreSQL, in a database the bench drops and creates on every run. */
  readonly database?: string;
  /** The outbound scenario's sizes (it runs only when --only names it). */
  readonly outbound: {
    readonly users: number;
    readonly groups: number;
    readonly groupMembers: number;
    readonly lagSeconds: number;
    /** With --outbound-rss: the users of the large push whose RSS is followed. */
    readonly largeUsers?: number;
    /** Worker processes of the source `muster serve` (the target runs `workers`). */
    readonly sourceWorkers: number;
  };
}

/** Muster's own default of `serve --workers` on this machine: the bench measures Muster as shipped. */
const shippedWorkers = Math.min(availableParallelism(), defaultWorkerCap);

/** Names --only accepts besides scenario ids; "outbound" runs only when named. */
export const extraParts = ["paging", "replay", "outbound"] as const;

/** The outbound scenario's default size (issue 13), and that of --quick. */
const outboundDefaults = { users: 100_000, quickUsers: 10_000, groupMembers: 50, lagSeconds: 30, quickLagSeconds: 10, largeUsers: 1_000_000 };

function positiveNumber(text: string): number {
  const value = Number(text.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError("must be a non-negative number");
  return value;
}

/** Parses the bench's command line (arguments after `npm run bench --`). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const command = new Command("bench")
    .description("Benchmark Muster on a generated tenant against a minimal Fastify ceiling on the same database, SQLite or PostgreSQL (issue 6)")
    .option("--users <n>", `users to generate (default ${defaultUsers.toLocaleString("en-US")})`, positiveNumber)
    .option("--quick", `${quickUsers.toLocaleString("en-US")} users, 5 s runs after 1 s of warm-up`, false)
    .option("--fresh", "generate the database again even when it is cached", false)
    .option("--json <file>", "write every figure as JSON to this file")
    .option("--markdown <file>", "write the results as Markdown tables (for docs/performance.md) to this file")
    .option("--duration <s>", "seconds per measured run (default 10, --quick 5)", positiveNumber)
    .option("--warmup <s>", "seconds of warm-up before each run (default 2, --quick 1)", positiveNumber)
    .option("--data-dir <dir>", "where generated databases are cached", "data/bench")
    .option("--only <parts>", `comma-separated parts to run: ${[...scenarios.map((scenario) => scenario.id), ...extraParts].join(", ")} (outbound only when named)`)
    .option("--replay-users <n>", "new users of the Entra initial-cycle replay", positiveNumber, 10_000)
    .option("--replay-concurrency <n>", "parallel request streams of the replay", positiveNumber, 16)
    .option("--paging-limit <s>", "stop walking pages after this many seconds", positiveNumber, 600)
    .option("--cpu-prof <dir>", "run Muster with node --cpu-prof and write its profile to this directory")
    .option("--keep-work", "keep the run's copy of the database", false)
    .option("--workers <n>", `worker processes Muster runs (muster serve --workers; default as shipped: one per core, at most ${defaultWorkerCap}, here ${shippedWorkers}; the ceiling stays one process)`, positiveNumber, shippedWorkers)
    .option("--outbound-users <n>", `users of the outbound scenario's source tenant (default ${outboundDefaults.users.toLocaleString("en-US")}, --quick ${outboundDefaults.quickUsers.toLocaleString("en-US")}; 0 with --outbound-rss: only the large push)`, positiveNumber)
    .option("--outbound-groups <n>", "groups of the outbound source tenant (default one per hundred users)", positiveNumber)
    .option("--outbound-members <n>", `mean members per group of the outbound source tenant (default ${outboundDefaults.groupMembers})`, positiveNumber)
    .option("--outbound-lag-seconds <s>", `seconds of changes at each rate (1/s and 100/s) for the incremental lag (default ${outboundDefaults.lagSeconds}, --quick ${outboundDefaults.quickLagSeconds})`, positiveNumber)
    .option("--outbound-rss [users]", `also push a tenant of ${outboundDefaults.largeUsers.toLocaleString("en-US")} users (the main bench's cached tenant) and sample the engine's RSS every second; takes an hour or more`)
    .option("--source-workers <n>", "worker processes of the outbound scenario's source muster serve (default: --workers)", positiveNumber)
    .option("--explain", "show the SQL, EXPLAIN QUERY PLAN and time of every list request's statements (SQLite only)", false)
    .option(
      "--db <postgres-url>",
      "run Muster and the ceiling on PostgreSQL (postgres://user@host:port/database). WARNING: the bench DROPS that database and creates it again on every run " +
        "(the role needs CREATEDB), then copies the cached tenant into it; it refuses a database that exists, has tables and was not made by the bench",
    )
    .exitOverride();
  command.parse([...argv], { from: "user" });
  const raw = command.opts<{
    users?: number; quick: boolean; fresh: boolean; json?: string; markdown?: string; duration?: number; warmup?: number; dataDir: string; only?: string; replayUsers: number; replayConcurrency: number; pagingLimit: number; cpuProf?: string; keepWork: boolean; explain: boolean; db?: string; workers: number;
    outboundUsers?: number; outboundGroups?: number; outboundMembers?: number; outboundLagSeconds?: number; outboundRss?: boolean | string; sourceWorkers?: number;
  }>();
  const known = new Set<string>([...scenarios.map((scenario) => scenario.id), ...extraParts]);
  const only = raw.only === undefined ? undefined : new Set(raw.only.split(",").map((part) => part.trim()).filter((part) => part !== ""));
  for (const part of only ?? []) if (!known.has(part)) throw new Error(`--only: unknown part "${part}" (known: ${[...known].join(", ")})`);
  if (raw.db !== undefined) {
    if (!/^postgres(ql)?:\/\//i.test(raw.db.trim()) || !URL.canParse(raw.db.trim())) throw new Error("--db takes a PostgreSQL URL, postgres://user@host:port/database (SQLite is the default and needs no --db)");
    if (raw.explain) throw new Error("--explain shows SQLite query plans: leave it out with --db");
    if (only?.has("outbound")) throw new Error("the outbound scenario runs on SQLite only: leave out --db or outbound");
  }
  const outboundUsers = Math.floor(raw.outboundUsers ?? (raw.quick ? outboundDefaults.quickUsers : outboundDefaults.users));
  const largeUsers = typeof raw.outboundRss === "string" ? positiveNumber(raw.outboundRss) : raw.outboundRss === true ? outboundDefaults.largeUsers : undefined;
  if (outboundUsers === 0 && largeUsers === undefined) throw new Error("--outbound-users 0 pushes nothing: add --outbound-rss, or give a number of users");
  return {
    users: raw.users ?? (raw.quick ? quickUsers : defaultUsers),
    quick: raw.quick,
    fresh: raw.fresh,
    ...(raw.json === undefined ? {} : { json: raw.json }),
    ...(raw.markdown === undefined ? {} : { markdown: raw.markdown }),
    durationSeconds: raw.duration ?? (raw.quick ? 5 : 10),
    warmupSeconds: raw.warmup ?? (raw.quick ? 1 : 2),
    dataDir: raw.dataDir,
    ...(only === undefined ? {} : { only }),
    replayUsers: Math.floor(raw.replayUsers),
    replayConcurrency: Math.max(1, Math.floor(raw.replayConcurrency)),
    pagingLimitSeconds: raw.pagingLimit,
    ...(raw.cpuProf === undefined ? {} : { cpuProfileDir: raw.cpuProf }),
    keepWork: raw.keepWork,
    explain: raw.explain,
    workers: Math.max(1, Math.floor(raw.workers)),
    ...(raw.db === undefined ? {} : { database: raw.db.trim() }),
    outbound: {
      users: outboundUsers,
      groups: Math.floor(raw.outboundGroups ?? Math.max(2, Math.round(outboundUsers / 100))),
      groupMembers: Math.floor(raw.outboundMembers ?? outboundDefaults.groupMembers),
      lagSeconds: raw.outboundLagSeconds ?? (raw.quick ? outboundDefaults.quickLagSeconds : outboundDefaults.lagSeconds),
      ...(largeUsers === undefined ? {} : { largeUsers: Math.floor(largeUsers) }),
      sourceWorkers: Math.max(1, Math.floor(raw.sourceWorkers ?? raw.workers)),
    },
  };
}
