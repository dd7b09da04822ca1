import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsListener, type MetricsListener } from "../../src/http/metrics-routes.js";
import { countOf, histogramsOf, scrape, valueOf, type Scrape } from "../support/scrape.js";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

/*
 * GET /metrics of a real server on a real database, parsed by a third-party parser (prom2javascript):
 * every family is declared, histograms are consistent, and the counters move by exactly the requests
 * a test sends. Runs on SQLite and on PostgreSQL (the pool gauges appear there instead of the group commit).
 */

const token = "metrics-token-0123456789abcdefghijklmnopqrstuvwxyz";
const usersRoute = "/scim/v2/:tenant/Users";
let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer({ metricsToken: token, rateLimitPerMinute: 1000 });
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

const metricsUrl = () => `${server.url}/metrics`;
const read = () => scrape(metricsUrl(), token);

/** Every sample line's family name (without _bucket/_sum/_count for histograms). */
function sampleFamilies(text: string, histograms: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0];
    const base = name.replace(/_(bucket|sum|count)$/, "");
    names.add(histograms.has(base) ? base : name);
  }
  return names;
}

describe("access on the main port", () => {
  it("refuses a scrape without the token or with a wrong one, saying how to send it", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: `Basic ${token}` }, { authorization: `Bearer ${token}x` }];
    for (const headers of attempts) {
      const response = await fetch(metricsUrl(), { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="muster-metrics"');
      expect(await response.text()).toContain("MUSTER_METRICS_TOKEN");
    }
  });

  it("serves the Prometheus text format to the token, uncached", async () => {
    const response = await fetch(metricsUrl(), { headers: { authorization: `bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("does not exist on a server without a metrics token (404 as any unknown URL)", async () => {
    const plain = await startTestServer();
    try {
      const response = await plain.fetch("GET", `${plain.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(404);
      expect(response.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    } finally {
      await plain.close();
    }
  });
});

describe("the exposition", () => {
  let scraped: Scrape;
  beforeAll(async () => {
    await acme.request("POST", "/Users", { body: userBody("first@example.org") });
    scraped = await read();
  });

  it("declares HELP and TYPE for every family it has samples of", () => {
    const families = Object.entries(scraped.families);
    expect(families.length).toBeGreaterThan(30);
    const histograms = new Set(families.filter(([, family]) => family.type === "histogram").map(([name]) => name));
    for (const name of sampleFamilies(scraped.text, histograms)) {
      expect(scraped.text.split("\n"), name).toContainEqual(expect.stringMatching(new RegExp(`^# HELP ${name} \\S`)));
      expect(scraped.text.split("\n"), name).toContainEqual(expect.stringMatching(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`)));
      expect(scraped.families[name]?.help, name).not.toBe("");
    }
    for (const [name, family] of families) expect(["counter", "gauge", "histogram"], name).toContain(family.type);
  });

  it("has cumulative histogram buckets whose +Inf bucket equals _count, in every histogram", () => {
    let checked = 0;
    for (const [name, family] of Object.entries(scraped.families)) {
      if (family.type !== "histogram") continue;
      for (const series of histogramsOf(scraped, name)) {
        const bounds = Object.keys(series.buckets).filter((le) => le !== "+Inf").sort((a, b) => Number(a) - Number(b));
        const counts = [...bounds.map((le) => series.buckets[le]!), series.buckets["+Inf"]!];
        for (let i = 1; i < counts.length; i++) expect(counts[i], `${name} ${JSON.stringify(series.labels)}`).toBeGreaterThanOrEqual(counts[i - 1]!);
        expect(series.buckets["+Inf"], name).toBe(series.count);
        expect(series.sum, name).toBeGreaterThanOrEqual(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("includes the process's CPU, memory, heap and event-loop metrics", () => {
    expect(valueOf(scraped, "process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    expect(valueOf(scraped, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(scraped.families.process_cpu_seconds_total?.type).toBe("counter");
    expect(scraped.families.nodejs_eventloop_lag_seconds?.type).toBe("gauge");
    expect(valueOf(scraped, "process_open_fds")).toBeGreaterThan(0);
  });

  it("labels nothing with a user id, userName, token or address", () => {
    const labels = scraped.text.split("\n").filter((line) => line.includes("{"));
    expect(labels.length).toBeGreaterThan(50);
    for (const value of ["first@example.org", acme.token, acme.token.slice(4, 28), "127.0.0.1", acme.record.id]) expect(scraped.text).not.toContain(value);
  });
});

describe("HTTP requests", () => {
  it("counts N SCIM lookups under their route template, method and status class, and a scrape under /metrics", async () => {
    const before = await read();
    const n = 7;
    const filter = encodeURIComponent('userName eq "nobody@example.org"');
    for (let i = 0; i < n; i++) expect((await acme.request("GET", `/Users?filter=${filter}`)).status).toBe(200);
    const after = await read();
    const labels = { route: usersRoute, method: "GET", status_class: "2xx" };
    expect(countOf(after, "muster_http_request_duration_seconds", labels) - countOf(before, "muster_http_request_duration_seconds", labels)).toBe(n);
    const [series] = histogramsOf(after, "muster_http_request_duration_seconds", labels);
    expect(series!.sum).toBeGreaterThan(0);
    // The scrape before this one is counted under its own route, never as a SCIM request.
    expect(countOf(after, "muster_http_request_duration_seconds", { route: "/metrics", method: "GET", status_class: "2xx" })).toBeGreaterThanOrEqual(1);
  });

  it("labels a URL no route serves as unmatched, never with the URL itself, and an odd method as other", async () => {
    const before = await read();
    expect((await server.fetch("GET", `${server.url}/no/such/page-4711`)).status).toBe(404);
    expect((await server.fetch("PROPFIND", `${server.url}/no/such/page-4712`)).status).toBe(404);
    const after = await read();
    const unmatched = (scrape: Scrape, method: string) => countOf(scrape, "muster_http_request_duration_seconds", { route: "unmatched", method, status_class: "4xx" });
    expect(unmatched(after, "GET") - unmatched(before, "GET")).toBe(1);
    expect(unmatched(after, "other") - unmatched(before, "other")).toBe(1);
    expect(after.text).not.toContain("page-471");
    expect(after.text).not.toContain("PROPFIND");
  });
});

describe("SCIM requests", () => {
  it("counts operations by resource, operation, outcome and error code, and by tenant", async () => {
    const before = await read();
    const created = await acme.request("POST", "/Users", { body: userBody("scim-count@example.org") });
    expect(created.status).toBe(201);
    expect((await acme.request("POST", "/Users", { body: userBody("scim-count@example.org") })).status).toBe(409);
    expect((await acme.request("GET", `/Users/${created.body.id}`)).status).toBe(200);
    expect((await acme.request("PATCH", `/Users/${created.body.id}`, { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] } })).status).toBe(200);
    expect((await acme.request("GET", "/Users?filter=bogus")).status).toBe(400);
    expect((await acme.request("GET", "/Users", { token: "mst_wrong" })).status).toBe(401);
    expect((await acme.request("GET", "/Schemas")).status).toBe(200);
    expect((await server.fetch("GET", `${server.url}/scim/v2/no-such-tenant/Users`, { headers: { authorization: `Bearer ${acme.token}` } })).status).toBe(401);
    const after = await read();
    const moved = (labels: Record<string, string>, name = "muster_scim_requests_total") => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved({ resource: "Users", operation: "create", outcome: "success", error: "none" })).toBe(1);
    expect(moved({ resource: "Users", operation: "create", outcome: "client_error", error: "uniqueness" })).toBe(1);
    expect(moved({ resource: "Users", operation: "get", outcome: "success" })).toBe(1);
    expect(moved({ resource: "Users", operation: "patch", outcome: "success" })).toBe(1);
    expect(moved({ resource: "Users", operation: "list", outcome: "client_error", error: "invalidFilter" })).toBe(1);
    expect(moved({ resource: "Users", operation: "list", outcome: "client_error", error: "unauthorized" })).toBe(2);
    expect(moved({ resource: "Discovery", operation: "discovery", outcome: "success" })).toBe(1);
    expect(moved({ tenant: "acme", outcome: "success" }, "muster_scim_tenant_requests_total")).toBe(4);
    expect(moved({ tenant: "acme", outcome: "client_error" }, "muster_scim_tenant_requests_total")).toBe(3);
    expect(moved({ tenant: "(unknown)", outcome: "client_error" }, "muster_scim_tenant_requests_total")).toBe(1);
    expect(after.text).not.toContain("no-such-tenant");
  });

  it("gives the first tenants their slug as a label and counts later ones as (other)", async () => {
    const small = await startTestServer({ metricsToken: token, metricsTenantLabels: 1 });
    try {
      const first = await small.addTenant("first");
      const second = await small.addTenant("second");
      await first.request("GET", "/Users");
      await second.request("GET", "/Users");
      await second.request("GET", "/Groups");
      const scraped = await scrape(`${small.url}/metrics`, token);
      expect(valueOf(scraped, "muster_scim_tenant_requests_total", { tenant: "first", outcome: "success" })).toBe(1);
      expect(valueOf(scraped, "muster_scim_tenant_requests_total", { tenant: "(other)", outcome: "success" })).toBe(2);
      expect(scraped.text).not.toContain('tenant="second"');
    } finally {
      await small.close();
    }
  });

  it("counts rate-limit rejections by tenant", async () => {
    const limited = await startTestServer({ metricsToken: token, rateLimitPerMinute: 2 });
    try {
      const tenant = await limited.addTenant("busy");
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await tenant.request("GET", "/Users?count=0")).status);
      expect(statuses).toEqual([200, 200, 429, 429, 429]);
      const scraped = await scrape(`${limited.url}/metrics`, token);
      expect(valueOf(scraped, "muster_rate_limit_rejections_total", { tenant: "busy" })).toBe(3);
      expect(valueOf(scraped, "muster_scim_requests_total", { outcome: "client_error", error: "tooManyRequests" })).toBe(3);
    } finally {
      await limited.close();
    }
  });
});

describe("the database", () => {
  it("times statements by database and kind, and counts the ones the database refused", async () => {
    const before = await read();
    await acme.request("POST", "/Users", { body: userBody("db-count@example.org") });
    expect((await acme.request("POST", "/Users", { body: userBody("db-count@example.org") })).status).toBe(409);
    // A create may read nothing (PostgreSQL); a lookup is one SELECT, timed on the lookup path too.
    expect((await acme.request("GET", `/Users?filter=${encodeURIComponent('userName eq "db-count@example.org"')}`)).status).toBe(200);
    const after = await read();
    const database = server.store.dialect;
    const statements = (scrape: Scrape, statement: string) => countOf(scrape, "muster_db_statement_duration_seconds", { database, statement });
    expect(statements(after, "select") - statements(before, "select")).toBeGreaterThan(0);
    expect(statements(after, "insert") - statements(before, "insert")).toBeGreaterThan(0);
    expect(statements(after, "transaction") - statements(before, "transaction")).toBeGreaterThanOrEqual(2);
    const refused = (scrape: Scrape) => valueOf(scrape, "muster_db_statement_errors_total", { database, statement: "insert" });
    expect(refused(after) - refused(before)).toBe(1);
  });

  it("shows SQLite's group commit, or PostgreSQL's pool, and not the other", async () => {
    await acme.request("POST", "/Users", { body: userBody("group-commit@example.org") });
    const scraped = await read();
    if (server.store.dialect === "sqlite") {
      expect(countOf(scraped, "muster_db_commit_group_size")).toBeGreaterThan(0);
      expect(countOf(scraped, "muster_db_commit_group_wait_seconds")).toBeGreaterThan(0);
      expect(histogramsOf(scraped, "muster_db_commit_duration_seconds")[0]!.sum).toBeGreaterThan(0);
      expect(scraped.families.muster_db_pool_connections).toBeUndefined();
    } else {
      expect(valueOf(scraped, "muster_db_pool_connections")).toBeGreaterThanOrEqual(1);
      expect(valueOf(scraped, "muster_db_pool_max_connections")).toBe(10);
      expect(valueOf(scraped, "muster_db_pool_idle_connections")).toBeLessThanOrEqual(valueOf(scraped, "muster_db_pool_connections"));
      expect(scraped.families.muster_db_pool_waiting_requests?.type).toBe("gauge");
      expect(scraped.families.muster_db_commit_group_size).toBeUndefined();
    }
  });
});

describe("background writes", () => {
  it("counts activity entries written and token last-used writes", async () => {
    await server.server.activity.flush();
    await server.server.authenticator.flush();
    const before = await read();
    await acme.request("GET", "/Users?count=1");
    await acme.request("GET", "/Groups?count=1");
    expect(valueOf(await read(), "muster_activity_buffered_entries")).toBe(2);
    await server.server.activity.flush();
    await server.server.authenticator.flush();
    const after = await read();
    expect(valueOf(after, "muster_activity_entries_written_total") - valueOf(before, "muster_activity_entries_written_total")).toBe(2);
    expect(valueOf(after, "muster_activity_buffered_entries")).toBe(0);
    expect(countOf(after, "muster_activity_flush_duration_seconds")).toBeGreaterThan(countOf(before, "muster_activity_flush_duration_seconds"));
    expect(valueOf(after, "muster_token_last_used_written_total") - valueOf(before, "muster_token_last_used_written_total")).toBe(1);
    expect(valueOf(after, "muster_activity_flush_failures_total")).toBe(0);
  });
});

describe("the metrics listener (MUSTER_METRICS_PORT)", () => {
  let listener: MetricsListener;
  afterAll(() => listener?.close());

  it("serves only /metrics, on the interface it was given, with the token when one is set", async () => {
    listener = await startMetricsListener(server.server.metrics, { host: "127.0.0.1", port: 0, token });
    expect(listener.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${listener.address}/metrics`)).status).toBe(401);
    const scraped = await scrape(`${listener.address}/metrics`, token);
    expect(countOf(scraped, "muster_http_request_duration_seconds", { route: usersRoute })).toBeGreaterThan(0);
    expect((await fetch(`${listener.address}/scim/v2/acme/Users`)).status).toBe(404);
    expect((await fetch(`${listener.address}/healthz`)).status).toBe(404);
  });

  it("needs no token when none is configured", async () => {
    const open = await startMetricsListener(server.server.metrics, { host: "127.0.0.1", port: 0 });
    try {
      expect(valueOf(await scrape(`${open.address}/metrics`), "process_resident_memory_bytes")).toBeGreaterThan(0);
    } finally {
      await open.close();
    }
  });
});
