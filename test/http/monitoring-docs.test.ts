import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { scrape, type Scrape } from "../support/scrape.js";
import { startTestServer, userBody, type TestServer } from "../support/scim-server.js";

/*
 * docs/monitoring.md, its Grafana dashboard and its alert rules against a real scrape: every metric they
 * name exists (families of the other database are checked by that database's run of this file), every
 * muster_ family the server exposes is documented, and the dashboard and rules are well-formed.
 */

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const doc = read("docs/monitoring.md");
const dashboard = JSON.parse(read("docs/monitoring/grafana-dashboard.json"));
const rules = parseYaml(read("docs/monitoring/alerts.yml"));
const token = "monitoring-docs-token-0123456789abcdef";

/** Families only one database has: the other database's run of this file sees them. */
const onlyOn = {
  sqlite: ["muster_db_commit_group_size", "muster_db_commit_group_wait_seconds", "muster_db_commit_duration_seconds"],
  postgres: ["muster_db_pool_connections", "muster_db_pool_idle_connections", "muster_db_pool_waiting_requests", "muster_db_pool_max_connections"],
};
/** `up` is the series Prometheus itself writes for every scrape target, not one Muster exposes. */
const prometheusOwn = new Set(["up"]);

let server: TestServer;
let scraped: Scrape;
beforeAll(async () => {
  server = await startTestServer({ metricsToken: token });
  const tenant = await server.addTenant("acme");
  await tenant.request("POST", "/Users", { body: userBody("docs@example.org") });
  await tenant.request("GET", "/Users");
  await server.server.activity.flush();
  await server.server.authenticator.flush();
  // Allocate enough for a garbage collection, so that prom-client's GC histogram has a series.
  let garbage: number[][] = [];
  for (let i = 0; i < 200; i++) garbage.push(new Array(50_000).fill(i));
  garbage = [];
  await new Promise((resolve) => setTimeout(resolve, 50));
  scraped = await scrape(`${server.url}/metrics`, token);
});
afterAll(() => server.close());

/** The metric names a PromQL expression reads, with _bucket/_sum/_count reduced to their histogram. */
function metricsIn(expression: string): string[] {
  const names = [...expression.matchAll(/\b((?:muster|process|nodejs)_[a-z0-9_]+|up)\b(?=\s*[{[)\s])/g)].map((match) => match[1]!);
  return names.map((name) => {
    const base = name.replace(/_(bucket|sum|count)$/, "");
    const histogram = scraped.families[base]?.type === "histogram" || [...onlyOn.sqlite, ...onlyOn.postgres].includes(base);
    return base !== name && histogram ? base : name;
  });
}

/** Whether a metric exists in this run's scrape, or is one this database lacks by design. */
function exists(name: string): boolean {
  const other = server.store.dialect === "sqlite" ? onlyOn.postgres : onlyOn.sqlite;
  return name in scraped.families || other.includes(name) || prometheusOwn.has(name);
}

const panels = (dashboard.panels as { type: string; title: string; id: number; gridPos: object; targets?: { expr: string; refId: string }[] }[]).filter((panel) => panel.type !== "row");
const alertRules = (rules.groups as { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: { summary: string; description: string } }[] }[]).flatMap((group) => group.rules);

describe("docs/monitoring/grafana-dashboard.json", () => {
  it("is a Grafana dashboard with a Prometheus data source variable and queries in every panel", () => {
    expect(dashboard).toMatchObject({ title: "Muster", uid: "muster-overview", schemaVersion: expect.any(Number) });
    expect(dashboard.templating.list.map((variable: { name: string; type: string }) => `${variable.name}:${variable.type}`)).toEqual(["datasource:datasource", "instance:query"]);
    expect(panels.length).toBeGreaterThan(15);
    expect(new Set(dashboard.panels.map((panel: { id: number }) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of panels) {
      expect(panel.type, panel.title).toBe("timeseries");
      expect(panel.gridPos, panel.title).toMatchObject({ h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it("queries only metrics a real scrape has", () => {
    const used = new Set(panels.flatMap((panel) => panel.targets!.flatMap((target) => metricsIn(target.expr))));
    expect(used.size).toBeGreaterThan(20);
    for (const name of used) expect(exists(name), name).toBe(true);
  });
});

describe("docs/monitoring/alerts.yml", () => {
  it("is a Prometheus rule file whose alerts have an expression, a duration, a severity and a summary", () => {
    expect(rules.groups).toHaveLength(1);
    expect(alertRules.length).toBeGreaterThanOrEqual(8);
    for (const rule of alertRules) {
      expect(rule.alert, JSON.stringify(rule)).toMatch(/^Muster[A-Za-z]+$/);
      expect(rule.expr.trim(), rule.alert).not.toBe("");
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(["critical", "warning", "info"], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
    }
    expect(new Set(alertRules.map((rule) => rule.alert)).size).toBe(alertRules.length);
  });

  it("reads only metrics a real scrape has", () => {
    const used = new Set(alertRules.flatMap((rule) => metricsIn(rule.expr)));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(exists(name), name).toBe(true);
  });
});

describe("docs/monitoring.md", () => {
  it("documents every muster_ metric the server exposes, and names none it does not", () => {
    const documented = new Set([...doc.matchAll(/`(muster_[a-z0-9_]+)`/g)].map((match) => match[1]!));
    for (const name of Object.keys(scraped.families).filter((family) => family.startsWith("muster_"))) expect(documented, name).toContain(name);
    for (const name of documented) expect(exists(name), name).toBe(true);
  });
});
