import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countOf, scrape, valueOf } from "../support/scrape.js";
import { runMuster, startServe, type ServeProcess } from "./muster-process.js";

/* `muster serve` with metrics: off by default, a loopback listener with --metrics-port, the main port behind MUSTER_METRICS_TOKEN. */

const dir = mkdtempSync(join(tmpdir(), "muster-serve-metrics-"));
const db = `sqlite:${join(dir, "muster.db")}`;
const token = "0123456789abcdef0123456789abcdef-metrics";
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stopped(serve: ServeProcess): Promise<void> {
  serve.child.kill("SIGTERM");
  expect(await serve.exited).toBe(0);
}

/** The metrics listener's address, from the line serve prints after the one startServe waited for. */
async function listenerOf(serve: ServeProcess): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const match = /Metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(serve.stderr());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`serve printed no metrics listener:\n${serve.stderr()}`);
}

describe("muster serve and /metrics", () => {
  it("serves no metrics unless configured", async () => {
    const serve = await startServe(["--db", db]);
    try {
      expect((await fetch(`${serve.url}/metrics`)).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(serve.stderr()).toContain("SCIM base URL");
      expect(serve.stderr()).not.toContain("Metrics:");
    } finally {
      await stopped(serve);
    }
  });

  it("starts a loopback metrics listener with --metrics-port that a scraper reads without a token", async () => {
    const serve = await startServe(["--db", db, "--metrics-port", "0"]);
    try {
      const listener = await listenerOf(serve);
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      const scraped = await scrape(`${listener}/metrics`);
      expect(countOf(scraped, "muster_http_request_duration_seconds", { route: "/healthz", method: "GET", status_class: "2xx" })).toBe(1);
      expect(valueOf(scraped, "process_resident_memory_bytes")).toBeGreaterThan(0);
      expect((await fetch(`${serve.url}/metrics`)).status).toBe(404);
    } finally {
      await stopped(serve);
    }
  });

  it("serves /metrics on the main port and the listener to MUSTER_METRICS_TOKEN only, and never logs the token", async () => {
    const serve = await startServe(["--db", db, "--metrics-port", "0"], { MUSTER_METRICS_TOKEN: token, MUSTER_LOG_LEVEL: "info" });
    try {
      expect((await fetch(`${serve.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${await listenerOf(serve)}/metrics`)).status).toBe(401);
      const scraped = await scrape(`${serve.url}/metrics`, token);
      expect(countOf(scraped, "muster_http_request_duration_seconds", { route: "/metrics", status_class: "4xx" })).toBe(1);
      await scrape(`${await listenerOf(serve)}/metrics`, token);
    } finally {
      await stopped(serve);
    }
    expect(serve.stderr()).toContain(`Metrics: ${serve.url}/metrics (bearer token required).`);
    expect(serve.stdout()).toContain('"path":"/metrics"');
    expect(serve.stdout() + serve.stderr()).not.toContain(token);
  });

  it("refuses to start with a short token, without printing it", () => {
    const result = runMuster(["serve", "--db", db, "--port", "0"], { MUSTER_METRICS_TOKEN: "too-short-secret" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("MUSTER_METRICS_TOKEN (--metrics-token) must be at least 32 characters");
    expect(result.stderr).not.toContain("too-short-secret");
  });
});
