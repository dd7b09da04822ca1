import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { databaseLabel } from "../src/cli/database-label.js";
import { ceilingPoolSize } from "./ceiling/ceiling-storage.js";
import { ensureDataset, prepareWorkCopy, removeWorkCopy, type Dataset } from "./dataset/dataset-cache.js";
import { checkBenchDatabase, copyTenantToPostgres, dropBenchDatabase } from "./dataset/postgres-tenant.js";
import { planTenant } from "./dataset/tenant-plan.js";
import { LoadGenerator } from "./load/load-generator.js";
import { measurePaging, measureReplay, measureScenario, type Harness } from "./measure.js";
import type { BenchOptions } from "./options.js";
import { startCeiling, startMuster, type BenchDatabase } from "./processes/bench-servers.js";
import { readRss } from "./processes/rss.js";
import type { ServerProcess } from "./processes/server-process.js";
import type { BenchReport } from "./report/bench-report.js";
import { postgresInfo, type DatabaseInfo } from "./report/database-info.js";
import { evaluateTargets } from "./report/evaluate-targets.js";
import { explainLists } from "./report/explain-lists.js";
import { probeDisk } from "./report/disk-probe.js";
import { checkIdle } from "./report/idle-check.js";
import { machineInfo } from "./report/machine.js";
import { runOutbound } from "./outbound/run-outbound.js";
import { progressBars } from "./report/progress-bars.js";
import { listRequestsToExplain, scenarios } from "./scenarios/scenarios.js";

const say = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One bench run: check the machine is idle, then the parts asked for. The scenarios, paging and the
 * Entra replay: generate or reuse the tenant, copy it (a SQLite work copy, or with --db into a
 * PostgreSQL database made afresh), start Muster (startup time, idle RSS) and the ceiling as their own
 * processes, drive every scenario from the load-generator process, then paging and the replay. The
 * outbound scenario (when named): two `muster serve` of its own, one pushing into the other. Stop
 * everything and check the targets.
 */
export async function runBench(options: BenchOptions, root: string): Promise<BenchReport> {
  const started = performance.now();
  say("Checking that the machine is idle…");
  const idleBefore = await checkIdle([process.pid]);
  if (idleBefore.busyProcesses.length > 0) say(`Warning: the machine is not idle: ${idleBefore.busyProcesses.join("; ")}`);
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machineInfo(root),
    idle: { before: idleBefore },
    disk: { before: probeDisk(options.dataDir) },
    options: { durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, quick: options.quick, workers: options.workers },
    scenarios: [],
    paging: [],
    targets: [],
  };
  const outbound = options.only?.has("outbound") ?? false;
  if (options.only === undefined || options.only.size > (outbound ? 1 : 0)) await measureMain(options, root, report);
  if (outbound) {
    const load = LoadGenerator.start(root);
    try {
      report.outbound = await runOutbound(
        { ...options.outbound, lagRates: [1, 100], generator: true, targetWorkers: options.workers, dataDir: options.dataDir, fresh: options.fresh, keepWork: options.keepWork, ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }) },
        root,
        { createUsers: (job) => load.run({ kind: "create-users", job }), generatorPid: load.pid, progress: progressBars(), log: say },
      );
    } finally {
      load.close();
    }
  }
  const idleAfter = await checkIdle([process.pid], 1);
  Object.assign(report, { idle: { before: idleBefore, after: idleAfter }, disk: { before: report.disk.before, after: probeDisk(options.dataDir) }, totalSeconds: (performance.now() - started) / 1000 });
  report.targets = evaluateTargets(report);
  return report;
}

/** The scenarios, paging and the Entra replay on the generated tenant, into `report`. */
async function measureMain(options: BenchOptions, root: string, report: BenchReport): Promise<void> {
  const wanted = (part: string) => options.only === undefined || options.only.has(part);
  const plan = planTenant(options.users);
  if (options.database !== undefined) await checkBenchDatabase(options.database);
  say(`Tenant: ${plan.users.toLocaleString("en-US")} users, ${plan.groups.toLocaleString("en-US")} groups (cache in ${options.dataDir})`);
  const dataset = await ensureDataset({ dataDir: options.dataDir, plan, fresh: options.fresh, progress: progressBars() });
  const { manifest } = dataset;
  say(dataset.generated ? `Generated in ${manifest.generationSeconds.toFixed(0)} s.` : `Reusing ${dataset.file} (generated ${manifest.generatedAt}${manifest.migratedFrom ? `, migrated from schema ${manifest.migratedFrom.schemaVersion}` : ""}).`);
  const { database, databaseInfo } = await prepareDatabase(options, dataset, report.machine.sqlite);
  Object.assign(report, {
    database: databaseInfo,
    dataset: { plan, cacheKey: manifest.cacheKey, schemaVersion: manifest.schemaVersion, generated: dataset.generated, generationSeconds: manifest.generationSeconds, databaseMb: manifest.databaseBytes / 1024 / 1024 },
  });

  if (options.explain && database.kind === "sqlite") {
    say("Explaining the list requests…");
    report.explained = await explainLists(database.file, manifest.tenantSlug, listRequestsToExplain(manifest));
  }

  const target = { root, database, tenantSlug: manifest.tenantSlug, token: manifest.token };
  // Muster's request log (info: a line per request), as a service writes it; kept with the run's copy.
  const musterLog = join(options.dataDir, "run", "muster.log");
  mkdirSync(dirname(musterLog), { recursive: true });
  rmSync(musterLog, { force: true });
  let muster: ServerProcess | undefined;
  let ceiling: ServerProcess | undefined;
  let load: LoadGenerator | undefined;
  const stopAll = async () => {
    load?.close();
    await Promise.all([muster?.stop(), ceiling?.stop()]);
  };
  const interrupt = () => void stopAll().finally(() => process.exit(130));
  process.once("SIGINT", interrupt);
  try {
    say("Starting Muster…");
    muster = await startMuster(target, musterLog, options.workers, options.cpuProfileDir);
    // Idle: started, one request answered, then left alone while timers (activity, last-used) settle.
    await sleep(3000);
    const idleRss = readRss(muster.pid);
    ceiling = await startCeiling(target);
    Object.assign(report, { startup: { musterStartupMs: muster.startupMs, ceilingStartupMs: ceiling.startupMs, ...(idleRss === undefined ? {} : { idleRssMb: idleRss / 1024 / 1024 }) } });
    say(`Muster answered after ${muster.startupMs.toFixed(0)} ms; idle RSS ${idleRss === undefined ? "?" : (idleRss / 1024 / 1024).toFixed(0)} MB.`);
    load = LoadGenerator.start(root);
    const harness: Harness = { muster, ceiling, load, manifest, manifestFile: join(dataset.dir, "manifest.json"), durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, log: say, jobs: { count: 0 } };

    for (const scenario of scenarios.filter((candidate) => wanted(candidate.id))) {
      for (const connections of scenario.connections) report.scenarios.push(await measureScenario(harness, scenario, connections));
    }
    let current = harness;
    if (wanted("paging")) {
      // A fresh process: memory an earlier scenario made the process keep (a 100,000-member group) is not paging's.
      await muster.stop();
      muster = await startMuster(target, musterLog, options.workers, options.cpuProfileDir);
      current = { ...harness, muster };
      say(`Restarted Muster for paging (answered after ${muster.startupMs.toFixed(0)} ms).`);
      for (const mode of ["index", "cursor"] as const) report.paging.push(await measurePaging(current, mode, options.pagingLimitSeconds));
    }
    if (wanted("replay") && options.replayUsers > 0) report.replay = await measureReplay(current, options.replayUsers, options.replayConcurrency);
  } finally {
    process.removeListener("SIGINT", interrupt);
    await stopAll();
    if (!options.keepWork) {
      await removeDatabase(database);
      rmSync(musterLog, { force: true });
    }
  }
}

/** The run's own database: a copy of the cached SQLite file, or (--db) a PostgreSQL database the tenant is copied into. */
async function prepareDatabase(options: BenchOptions, dataset: Dataset, sqliteVersion: string): Promise<{ database: BenchDatabase; databaseInfo: DatabaseInfo }> {
  const workDir = join(options.dataDir, "run");
  if (options.database === undefined) {
    say("Copying the database for this run…");
    return { database: { kind: "sqlite", file: prepareWorkCopy(dataset, workDir) }, databaseInfo: { kind: "sqlite", version: sqliteVersion } };
  }
  const url = options.database;
  say(`Dropping and creating ${databaseLabel(url)}, then copying the tenant into it…`);
  const copy = await copyTenantToPostgres(dataset, url, workDir, process.stderr);
  say(`Copied ${copy.rows.toLocaleString("en-US")} rows into PostgreSQL in ${copy.seconds.toFixed(0)} s (with VACUUM ANALYZE).`);
  const info = await postgresInfo(url, ceilingPoolSize, options.dataDir, copy);
  if (info.kind === "postgres" && (info.settings["fsync"] !== "on" || info.settings["synchronous_commit"] !== "on")) {
    say("Warning: this PostgreSQL server does not wait for the disk (fsync or synchronous_commit is off): its write figures do not compare with SQLite's synchronous=FULL.");
  }
  return { database: { kind: "postgres", url }, databaseInfo: info };
}

/** Removes the run's database: the SQLite work copy, or the bench's PostgreSQL database. */
async function removeDatabase(database: BenchDatabase): Promise<void> {
  if (database.kind === "sqlite") removeWorkCopy(database.file);
  else await dropBenchDatabase(database.url);
}
