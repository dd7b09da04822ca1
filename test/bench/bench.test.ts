import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDataset, prepareWorkCopy } from "../../bench/dataset/dataset-cache.js";
import { planTenant } from "../../bench/dataset/tenant-plan.js";
import { LatencyRecorder } from "../../bench/load/latency-recorder.js";
import { parseBenchOptions } from "../../bench/options.js";
import type { BenchReport } from "../../bench/report/bench-report.js";
import { describeDatabase } from "../../bench/report/database-info.js";
import { evaluateTargets } from "../../bench/report/evaluate-targets.js";
import { explainLists, type ExplainedList } from "../../bench/report/explain-lists.js";
import { formatTable } from "../../bench/report/format-report.js";
import { silentProgress } from "../../bench/report/progress-bars.js";
import { pagingTable, scenarioTable } from "../../bench/report/result-tables.js";
import { listRequestsToExplain } from "../../bench/scenarios/scenarios.js";
import { describeBenchSmoke } from "./bench-smoke.js";

describeBenchSmoke("bench on SQLite", async (dataset, workDir) => {
  const file = prepareWorkCopy(dataset, workDir);
  return { musterUrl: `sqlite:${file}`, ceilingDatabase: file, concurrentLoad: true, remove: async () => undefined };
});

describe("bench report", () => {
  it("takes percentiles by nearest rank", () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.record(ms === 100 ? 500 : 200, ms);
    expect(recorder.summary()).toMatchObject({ count: 100, p50Ms: 50, p99Ms: 99, maxMs: 100 });
    expect(recorder.unexpected([200])).toBe(1);
  });

  it("marks a target not measured when its scenario did not run, and missed when the ratio is short", () => {
    const figures = { requests: 100, seconds: 1, rps: 100, p50Ms: 1, p99Ms: 2, maxMs: 3, meanBytes: 10, statuses: { "200": 100 }, unexpected: 0, errors: 0 };
    const report = { scenarios: [{ scenario: "users-lookup", title: "", connections: 16, muster: figures, ceiling: { ...figures, rps: 1000 }, ratio: 0.1 }], paging: [], targets: [] } as unknown as BenchReport;
    const verdicts = new Map(evaluateTargets(report).map((verdict) => [verdict.id, verdict]));
    expect(verdicts.get("hot-users-lookup")?.met).toBe(false);
    expect(verdicts.get("hot-read-p99")?.met).toBeUndefined();
    expect(verdicts.get("hot-users-create")?.met).toBeUndefined();
    expect(verdicts.get("pg-users-lookup")).toBeUndefined();
  });

  it("checks PostgreSQL runs against the PostgreSQL targets, creates by how they scale with connections", () => {
    const figures = (rps: number) => ({ requests: 100, seconds: 1, rps, p50Ms: 1, p99Ms: 2, maxMs: 3, meanBytes: 10, statuses: { "201": 100 }, unexpected: 0, errors: 0 });
    const create = (connections: number, rps: number, ceiling: number) => ({ scenario: "users-create", title: "", connections, muster: figures(rps), ceiling: figures(ceiling), ratio: rps / ceiling });
    const report = { database: { kind: "postgres" }, scenarios: [create(1, 300, 1300), create(16, 1200, 2500)], paging: [], targets: [] } as unknown as BenchReport;
    const verdicts = new Map(evaluateTargets(report).map((verdict) => [verdict.id, verdict]));
    expect(verdicts.get("pg-users-create")?.met).toBe(true);
    expect(verdicts.get("creates-scale")?.met).toBe(true);
    expect(verdicts.get("pg-users-lookup")?.met).toBeUndefined();
    expect(verdicts.get("hot-users-lookup")).toBeUndefined();
  });

  it("aligns table columns", () => {
    expect(formatTable({ header: ["a", "bb"], rows: [["xyz", "1"]] }).split("\n")).toEqual(["a    bb", "---  --", "xyz   1"]);
  });

  it("counts both servers' unexpected statuses and connection errors in a scenario row's errors", () => {
    const figures = { requests: 100, seconds: 1, rps: 100, p50Ms: 1, p99Ms: 2, maxMs: 3, meanBytes: 10, statuses: { "200": 100 }, unexpected: 2, errors: 1 };
    const table = scenarioTable([{ scenario: "users-create", title: "", connections: 1, muster: figures, ceiling: { ...figures, unexpected: 4, errors: 0 }, ratio: 1 }]);
    expect(table.rows[0]?.[table.header.indexOf("errors")]).toBe("7");
  });

  it("says stopped for a paging walk that ended early on either server", () => {
    const walk = { pages: 3, resources: 3000, totalResults: 9000, seconds: 600, complete: false, p50Ms: 1, p99Ms: 2, maxMs: 3, failures: 0 };
    const [row] = pagingTable([{ mode: "cursor", muster: walk, ceiling: walk }]).rows;
    expect(row?.[0]).toBe("by cursor (stopped)");
    expect(row?.[5]).toBe("600.0 (stopped)");
  });

  it("names PostgreSQL with its pool and settings in the header, SQLite by its version", () => {
    const postgres = { kind: "postgres", version: "15.14", poolSize: 10, settings: { fsync: "on", synchronous_commit: "on" }, server: "127.0.0.1:5433", databaseMb: 100, copiedRows: 1, copySeconds: 1 } as const;
    expect(describeDatabase(postgres, "3.50.4")).toBe("PostgreSQL 15.14 at 127.0.0.1:5433 (pool of 10 connections for Muster and for the ceiling; fsync on, synchronous_commit on)");
    expect(describeDatabase(undefined, "3.50.4")).toBe("SQLite 3.50.4");
  });
});

describe("bench --explain", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "muster-explain-"));
  let explained: Map<string, ExplainedList>;

  beforeAll(async () => {
    const { file, manifest } = await ensureDataset({ dataDir, plan: planTenant(100), fresh: false, progress: silentProgress });
    // Pages of 10 on 100 users: full pages, so only a count can tell totalResults.
    const fullPages: { label: string; query: Record<string, string> }[] = [
      { label: "unfiltered by index", query: { startIndex: "51", count: "10" } },
      { label: "unfiltered by cursor", query: { cursor: "", count: "10" } },
      { label: "filtered", query: { filter: "userName pr", count: "10" } },
    ];
    const requests = [...listRequestsToExplain(manifest), ...fullPages];
    explained = new Map((await explainLists(file, manifest.tenantSlug, requests)).map((list) => [list.label, list]));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const statementsOf = (label: string) => explained.get(label)?.statements.map(({ role, sql }) => ({ role, sql })) ?? [];

  it("shows the resource_counts read, not COUNT, for totalResults of an unfiltered list", () => {
    for (const label of ["unfiltered by index", "unfiltered by cursor"]) {
      const statements = statementsOf(label);
      expect(statements.map(({ role }) => role), label).toEqual(["rows", "totalResults"]);
      expect(statements[1]?.sql, label).toMatch(/from "resource_counts"/);
      expect(statements.some(({ sql }) => /count\(\*\)/i.test(sql)), label).toBe(false);
    }
  });

  it("shows no COUNT when the page itself tells totalResults, as for a userName lookup", () => {
    expect(statementsOf("users-lookup").map(({ role }) => role)).toEqual(["rows"]);
  });

  it("shows COUNT after the rows of a filtered list whose page is full", () => {
    const statements = statementsOf("filtered");
    expect(statements.map(({ role }) => role)).toEqual(["rows", "totalResults"]);
    expect(statements[1]?.sql).toMatch(/count\(\*\)/i);
  });

  it("gives every statement its query plan and time", () => {
    for (const list of explained.values()) {
      for (const statement of list.statements) {
        expect(statement.plan.length, `${list.label}: ${statement.sql}`).toBeGreaterThan(0);
        expect(statement.ms).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe("bench options", () => {
  it("takes a PostgreSQL URL for --db", () => {
    expect(parseBenchOptions(["--quick", "--db", "postgres://bench@127.0.0.1:5432/muster_bench"]).database).toBe("postgres://bench@127.0.0.1:5432/muster_bench");
  });

  it("refuses a SQLite URL for --db, and --explain with --db", () => {
    expect(() => parseBenchOptions(["--db", "sqlite:bench.db"])).toThrow(/PostgreSQL URL/);
    expect(() => parseBenchOptions(["--db", "postgres://bench@127.0.0.1/muster_bench", "--explain"])).toThrow(/--explain/);
  });
});
