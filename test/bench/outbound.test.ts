import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheKeyOf, ensureDataset } from "../../bench/dataset/dataset-cache.js";
import { readManifest, writeManifest } from "../../bench/dataset/manifest.js";
import { planOutboundTenant } from "../../bench/dataset/tenant-plan.js";
import { createUsers } from "../../bench/load/create-users.js";
import { parseBenchOptions } from "../../bench/options.js";
import { measureLag, type SentChange } from "../../bench/outbound/change-lag.js";
import { summarizeRss } from "../../bench/outbound/rss-series.js";
import { runOutbound } from "../../bench/outbound/run-outbound.js";
import { repoRoot } from "../../bench/repo-root.js";
import type { BenchReport, OutboundResult } from "../../bench/report/bench-report.js";
import { evaluateTargets } from "../../bench/report/evaluate-targets.js";
import { formatMarkdown } from "../../bench/report/format-markdown.js";
import { formatReport } from "../../bench/report/format-report.js";
import { silentProgress } from "../../bench/report/progress-bars.js";
import type { AppLogEntry } from "../../shared/admin-api.js";

const dataDir = mkdtempSync(join(tmpdir(), "muster-outbound-bench-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/*
 * The outbound scenario as `npm run bench -- --only outbound` runs it, on a tenant of 300 users: two
 * real `muster serve` processes from dist/ (the source pushing into the target), the plain load
 * generator in this process, the lag at both rates for a second each, and a large push of 200 users.
 */
describe("bench outbound scenario", () => {
  let result: OutboundResult;

  it("pushes a small tenant into a loopback Muster and measures it", { timeout: 180_000 }, async () => {
    result = await runOutbound(
      { users: 300, groups: 6, groupMembers: 10, lagRates: [1, 100], lagSeconds: 1, generator: true, largeUsers: 200, sourceWorkers: 1, targetWorkers: 1, dataDir, fresh: false, keepWork: false },
      repoRoot(),
      { createUsers, generatorPid: process.pid, progress: silentProgress, log: () => undefined },
    );
    const push = result.push!;
    const manifest = readManifest(join(dataDir, readdirSync(dataDir).find((name) => name.startsWith("users-300-"))!, "manifest.json"));
    const members = manifest.bigGroup.size + manifest.smallGroup.size + manifest.groups.reduce((sum, group) => sum + group.size, 0);

    // Everything arrived, as the target itself counts it, and every request the target logged succeeded.
    expect(push.arrived).toEqual({ users: 300, groups: 6 });
    expect(push.memberships).toBe(members);
    expect(push.failedRequests).toBe(0);
    expect(push.counts).toMatchObject({ created: 306, failed: 0 });
    // The engine matches on userName, then externalId, before it creates.
    const users = push.stages.find((stage) => stage.name === "users")!;
    expect(users.requestKinds).toMatchObject({ "GET Users": 600, "POST Users": 300 });
    expect(users.objects).toBe(300);
    expect(users.seconds).toBeGreaterThan(0);
    expect(push.stages.find((stage) => stage.name === "members")!.requestKinds).toMatchObject({ "PATCH Groups/{id}": 6 });
    expect(push.requests).toBeGreaterThanOrEqual(900 + 12 + 6);
    expect(push.cycleSeconds).toBeGreaterThan(0);
    expect(push.wallSeconds).toBeGreaterThanOrEqual(push.cycleSeconds);
    expect(push.rss.enginePeakMb).toBeGreaterThan(20);
    expect(push.rss.targetPeakMb).toBeGreaterThan(20);
    expect(push.cpu?.own["source"]).toBeGreaterThan(0);
    expect(push.cpu?.own["target"]).toBeGreaterThan(0);

    expect(result.generator).toMatchObject({ created: 300, requests: 300, failures: 0, complete: true, concurrency: 4 });
    expect(result.generator!.usersPerSecond).toBeGreaterThan(0);
    expect(result.ratio!.users).toBeGreaterThan(0);

    expect(result.lag.map((lag) => [lag.rate, lag.accepted, lag.userChanges, lag.memberChanges, lag.refused, lag.unmatched])).toEqual([
      [1, 1, 1, 0, 0, 0],
      [100, 100, 80, 20, 0, 0],
    ]);
    for (const lag of result.lag) {
      expect(lag.p99Ms).toBeGreaterThanOrEqual(lag.p50Ms);
      expect(lag.maxMs).toBeGreaterThanOrEqual(lag.p99Ms);
      expect(lag.maxMs).toBeLessThan(60_000);
    }

    expect(result.large?.arrived.users).toBe(200);
    expect(result.large?.rss.engine?.samples).toBeGreaterThan(0);
    // The run's copies are gone (no --keep-work).
    expect(existsSync(join(dataDir, "outbound-run"))).toBe(false);
  });

  it("checks the run against issue 13's targets and prints it as text and Markdown", () => {
    const report = { date: "2026-12-08T00:00:00.000Z", machine: { cpuModel: "cpu", cores: 2, memoryMb: 1, os: "linux", node: "v20", sqlite: "3", musterCommit: "abc" }, idle: { before: { loadAverage: [0, 0, 0], busyProcesses: [] } }, disk: { before: { writes: 1, p50Ms: 1, p99Ms: 1 } }, options: { durationSeconds: 1, warmupSeconds: 1, quick: false }, scenarios: [], paging: [], targets: [], outbound: result } as unknown as BenchReport;
    const verdicts = evaluateTargets(report);
    expect(verdicts.map((verdict) => verdict.id)).toEqual(["outbound-ratio", "outbound-lag", "outbound-rss"]);
    for (const verdict of verdicts) expect(typeof verdict.met).toBe("boolean");
    expect(verdicts[2]!.measured).toMatch(/this run pushed 200 users/);
    report.targets = verdicts;
    for (const text of [formatReport(report), formatMarkdown(report)]) {
      expect(text).toMatch(/Outbound provisioning: 300 users and 6 groups/);
      expect(text).toMatch(/plain load generator \(4 in flight\)/);
      expect(text).toMatch(/Targets of issue 13/);
      expect(text).not.toMatch(/issues 12 and 6/);
    }
  });
});

describe("bench outbound pieces", () => {
  const change = (kind: SentChange["kind"], sourceId: string, sentAt: number, status = 200): SentChange => ({ kind, sourceId, sentAt, ackAt: sentAt + 5, status });
  const entry = (action: AppLogEntry["action"], sourceId: string, at: number): AppLogEntry => ({ id: `${sourceId}-${at}`, at: new Date(at).toISOString(), cycle: "incremental", resourceType: action === "members" ? "Group" : "User", sourceId, display: null, targetId: "t", action, status: "success", details: {}, error: null, fix: null });

  it("takes each change's lag from its answer to the first entry that applied it afterwards", () => {
    const changes = [change("user", "u1", 1_000), change("member", "g1", 2_000), change("member", "g1", 3_000), change("user", "u2", 4_000), change("user", "u3", 5_000, 400)];
    // An update of u1 logged before the change was sent belongs to something earlier.
    const entries = [entry("update", "u1", 900), entry("update", "u1", 1_105), entry("members", "g1", 2_055), entry("members", "g1", 3_305)];
    expect(measureLag(changes, entries)).toEqual({ accepted: 4, refused: 1, unmatched: 1, p50Ms: 100, p95Ms: 300, p99Ms: 300, maxMs: 300 });
  });

  it("summarises RSS samples: range, first and last tenth, slope per minute", () => {
    const times = Array.from({ length: 20 }, (_, i) => i * 6_000);
    const trend = summarizeRss(times, times.map((_, i) => 100 + i));
    expect(trend).toMatchObject({ samples: 20, minMb: 100, maxMb: 119, firstMb: 100.5, lastMb: 118.5 });
    expect(trend!.slopeMbPerMinute).toBeCloseTo(10, 5);
    expect(summarizeRss([], [])).toBeUndefined();
  });

  it("runs the outbound scenario only when --only names it, with its sizes as options", () => {
    expect(parseBenchOptions([]).outbound).toMatchObject({ users: 100_000, groups: 1_000, groupMembers: 50, lagSeconds: 30 });
    expect(parseBenchOptions([]).outbound.largeUsers).toBeUndefined();
    expect(parseBenchOptions(["--quick"]).outbound).toMatchObject({ users: 10_000, groups: 100, lagSeconds: 10 });
    const options = parseBenchOptions(["--only", "outbound", "--outbound-users", "20000", "--outbound-rss", "--workers", "2", "--source-workers", "1"]);
    expect([...options.only!]).toEqual(["outbound"]);
    expect(options.outbound).toMatchObject({ users: 20_000, groups: 200, largeUsers: 1_000_000, sourceWorkers: 1 });
    expect(parseBenchOptions(["--outbound-rss", "5000"]).outbound.largeUsers).toBe(5_000);
    expect(() => parseBenchOptions(["--only", "outbound", "--db", "postgres://bench@127.0.0.1/muster_bench"])).toThrow(/SQLite only/);
    expect(parseBenchOptions(["--only", "outbound", "--outbound-users", "0", "--outbound-rss"]).outbound).toMatchObject({ users: 0, largeUsers: 1_000_000 });
    expect(() => parseBenchOptions(["--only", "outbound", "--outbound-users", "0"])).toThrow(/pushes nothing/);
  });

  it("migrates a cached tenant of an older schema instead of generating it again", async () => {
    const plan = planOutboundTenant(100, 2, 5);
    const dir = mkdtempSync(join(tmpdir(), "muster-bench-migrate-"));
    try {
      const current = await ensureDataset({ dataDir: dir, plan, fresh: false, progress: silentProgress });
      expect(current.generated).toBe(true);
      // The same cache as an older schema would have named it.
      const oldKey = cacheKeyOf(plan, "0009-resource-count-shards");
      const oldDir = join(dir, `users-100-${oldKey}`);
      cpSync(current.dir, oldDir, { recursive: true });
      writeManifest(join(oldDir, "manifest.json"), { ...current.manifest, cacheKey: oldKey, schemaVersion: "0009-resource-count-shards" });
      rmSync(current.dir, { recursive: true });

      const migrated = await ensureDataset({ dataDir: dir, plan, fresh: false, progress: silentProgress });
      expect(migrated.generated).toBe(false);
      expect(migrated.manifest).toMatchObject({ cacheKey: current.manifest.cacheKey, schemaVersion: current.manifest.schemaVersion, token: current.manifest.token, migratedFrom: { cacheKey: oldKey, schemaVersion: "0009-resource-count-shards" } });
      expect(existsSync(join(oldDir, "muster.db"))).toBe(true);
      const again = await ensureDataset({ dataDir: dir, plan, fresh: false, progress: silentProgress });
      expect(again.manifest.migratedFrom?.cacheKey).toBe(oldKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
