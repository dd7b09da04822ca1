import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countOf, scrape } from "../support/scrape.js";
import { runMuster, startServe, type ServeProcess } from "./muster-process.js";
import { requestPids, scimUser as user, send, waitFor } from "./worker-requests.js";

/*
 * `muster serve --workers 2` as a user runs it: workers share the port, SQLite stays exact and durable
 * across processes, a dead worker is replaced, signals drain every worker, and what must be counted
 * for the whole server (rate limits, /metrics) is.
 */

const dir = mkdtempSync(join(tmpdir(), "muster-workers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const info = { MUSTER_LOG_LEVEL: "info" };
let databases = 0;

/** A fresh SQLite database with a bearer token for its default tenant. */
function freshDatabase(): { db: string; token: string } {
  const db = `sqlite:${join(dir, `muster-${++databases}.db`)}`;
  expect(runMuster(["tenants", "create", "default", "--db", db]).status).toBe(0);
  const created = runMuster(["tokens", "create", "--tenant", "default", "--client", "Okta", "--db", db, "--json"]);
  expect(created.status, created.stderr).toBe(0);
  return { db, token: (JSON.parse(created.stdout) as { token: string }).token };
}

async function stopped(serve: ServeProcess): Promise<void> {
  serve.child.kill("SIGTERM");
  expect(await serve.exited).toBe(0);
}

describe("muster serve --workers", () => {
  it("runs two workers on one port, both answering, and announces itself once", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2"], info);
    try {
      expect(serve.stderr()).toMatch(/Muster is listening on http:\/\/127\.0\.0\.1:\d+ \(database sqlite:.*, 2 worker processes\)/);
      for (let i = 0; i < 8; i++) expect((await send("GET", `${serve.url}/scim/v2/default/Users?count=1`, token)).status).toBe(200);
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      expect(requestPids(serve).has(serve.child.pid!)).toBe(false);
      await waitFor("the setup link", () => serve.stderr().includes("/admin/setup/"));
      expect(serve.stderr().match(/\/admin\/setup\//g)).toHaveLength(1);
      expect(serve.stderr().match(/Muster is listening/g)).toHaveLength(1);
      // The Health page speaks for the whole server, whichever worker answers: the primary samples both.
      expect(runMuster(["admins", "create", "ops@example.com", "--password-stdin", "--db", db], {}, "correct horse battery staple").status).toBe(0);
      const signIn = await send("POST", `${serve.url}/api/session`, undefined, { email: "ops@example.com", password: "correct horse battery staple" }, { "content-type": "application/json" });
      expect(signIn.status).toBe(200);
      const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
      for (let i = 0; i < 4; i++) {
        const health = await send("GET", `${serve.url}/api/node/health`, undefined, undefined, { cookie });
        expect(health.status).toBe(200);
        expect((JSON.parse(health.body) as { node: unknown }).node).toMatchObject({ pid: serve.child.pid, workers: 2, database: "sqlite" });
      }
    } finally {
      await stopped(serve);
    }
    expect(serve.stderr()).toContain("All workers have stopped.");
  });

  it("refuses a token revoked through one worker on every worker at once", async () => {
    const db = `sqlite:${join(dir, `muster-${++databases}.db`)}`;
    expect(runMuster(["tenants", "create", "default", "--db", db]).status).toBe(0);
    expect(runMuster(["admins", "create", "ops@example.com", "--password-stdin", "--db", db], {}, "correct horse battery staple").status).toBe(0);
    const issued = JSON.parse(runMuster(["tokens", "create", "--tenant", "default", "--client", "Okta", "--db", db, "--json"]).stdout) as { id: string; token: string };
    const serve = await startServe(["--db", db, "--workers", "2"], info);
    try {
      const signIn = await send("POST", `${serve.url}/api/session`, undefined, { email: "ops@example.com", password: "correct horse battery staple" }, { "content-type": "application/json" });
      const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
      const csrf = (JSON.parse(signIn.body) as { csrfToken: string }).csrfToken;
      // Both workers have the token in their 5-second cache…
      for (let i = 0; i < 6; i++) expect((await send("GET", `${serve.url}/scim/v2/default/Users?count=1`, issued.token)).status).toBe(200);
      // Request lines reach the log in blocks (log-destination.ts), within 250 ms.
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      expect((await send("DELETE", `${serve.url}/api/tenants/default/tokens/${issued.id}`, undefined, undefined, { cookie, "x-csrf-token": csrf })).status).toBe(204);
      // …and neither serves it after the revocation answered, as one process would not.
      for (let i = 0; i < 6; i++) expect((await send("GET", `${serve.url}/scim/v2/default/Users?count=1`, issued.token)).status).toBe(401);
    } finally {
      await stopped(serve);
    }
  });

  it("accepts exactly one of many concurrent creates of the same userName sent through both workers", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2"], info);
    try {
      const answers = await Promise.all(Array.from({ length: 24 }, () => send("POST", `${serve.url}/scim/v2/default/Users`, token, user("same@example.com"))));
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 409)).toHaveLength(23);
      // Request lines reach the log in blocks (log-destination.ts), within 250 ms.
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      const listed = JSON.parse((await send("GET", `${serve.url}/scim/v2/default/Users?filter=${encodeURIComponent('userName eq "same@example.com"')}`, token)).body) as { totalResults: number };
      expect(listed.totalResults).toBe(1);
    } finally {
      await stopped(serve);
    }
  });

  it("keeps every acknowledged write when the primary and all workers are killed with SIGKILL", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2"], info, { detached: true });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => send("POST", `${serve.url}/scim/v2/default/Users`, token, user(`durable-${i}@example.com`))));
    process.kill(-serve.child.pid!, "SIGKILL");
    await serve.exited;
    const acknowledged = answers.filter((answer) => answer.status === 201).map((answer) => (JSON.parse(answer.body) as { id: string }).id);
    expect(acknowledged).toHaveLength(40);
    const again = await startServe(["--db", db, "--workers", "2"]);
    try {
      for (const id of acknowledged) expect((await send("GET", `${again.url}/scim/v2/default/Users/${id}`, token)).status).toBe(200);
    } finally {
      await stopped(again);
    }
  });

  it("drains the requests in flight on SIGTERM and exits 0 after the last worker", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2"], info);
    const pending = Array.from({ length: 30 }, (_, i) => send("POST", `${serve.url}/scim/v2/default/Users`, token, user(`drain-${i}@example.com`)));
    await waitFor("the first request served", () => serve.stdout().includes('"request completed"'));
    serve.child.kill("SIGTERM");
    const answers = await Promise.allSettled(pending);
    expect(await serve.exited).toBe(0);
    // Each request was either served in full or never accepted (refused connection): none cut off with a 5xx.
    const served = answers.flatMap((answer) => (answer.status === "fulfilled" ? [answer.value.status] : []));
    expect(served.every((status) => status === 201)).toBe(true);
    expect(served.length).toBeGreaterThan(0);
    expect(serve.stderr()).toMatch(/\[worker 1\] SIGTERM: finishing in-flight requests/);
    expect(serve.stderr()).toMatch(/\[worker 2\] SIGTERM: finishing in-flight requests/);
    expect(serve.stderr()).toContain("All workers have stopped.");
  });

  it("replaces a worker that dies, and gives up loudly when they crash in a loop", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2"], info);
    try {
      for (let i = 0; i < 4; i++) await send("GET", `${serve.url}/healthz`);
      const [victim] = await waitFor("request logs of both workers", () => (requestPids(serve).size === 2 ? [...requestPids(serve)] : undefined));
      process.kill(victim!, "SIGKILL");
      await waitFor("the replacement", () => /Worker \d is running again \(process \d+\)/.test(serve.stderr()));
      expect(serve.stderr()).toMatch(new RegExp(`Worker \\d \\(process ${victim}\\) exited with signal SIGKILL after \\d+ s; starting a new one in 250 ms`));
      const before = requestPids(serve);
      for (let i = 0; i < 6; i++) expect((await send("GET", `${serve.url}/scim/v2/default/Users?count=1`, token)).status).toBe(200);
      const newcomer = await waitFor("a request served by the new worker", () => [...requestPids(serve)].find((pid) => !before.has(pid)));
      // Four more deaths within the minute make five: the primary stops everything and exits 1.
      let killed = newcomer;
      for (let crash = 2; crash <= 5; crash++) {
        process.kill(killed, "SIGKILL");
        if (crash === 5) break;
        const replaced = new RegExp(`Worker \\d is running again \\(process (\\d+)\\)`, "g");
        killed = await waitFor(`replacement ${crash}`, () => {
          const all = [...serve.stderr().matchAll(replaced)];
          return all.length >= crash ? Number(all[crash - 1]![1]) : undefined;
        });
      }
      expect(await serve.exited).toBe(1);
      expect(serve.stderr()).toMatch(/Workers crashed 5 times within 60 s: giving up and stopping the server/);
    } finally {
      if (serve.child.exitCode === null) await stopped(serve);
    }
  });

  it("counts a token's rate limit across workers, not once per worker", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2", "--rate-limit", "10"], info);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await send("GET", `${serve.url}/scim/v2/default/Users?count=1`, token)).status);
      // Request lines reach the log in blocks (log-destination.ts), within 250 ms.
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(14);
    } finally {
      await stopped(serve);
    }
  });

  it("never lets concurrent requests through both workers exceed the limit, and refuses few below it", async () => {
    const { db, token } = freshDatabase();
    const serve = await startServe(["--db", db, "--workers", "2", "--rate-limit", "120"], info);
    try {
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const answers = await Promise.all(Array.from({ length: 20 }, () => send("GET", `${serve.url}/scim/v2/default/Users?count=1`, token)));
        statuses.push(...answers.map((answer) => answer.status));
      }
      // Request lines reach the log in blocks (log-destination.ts), within 250 ms.
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      const served = statuses.filter((status) => status === 200).length;
      // Leases of 3 (120 / (20 × 2 workers)), one asked for at a time per worker: near the limit a worker
      // holds at most one lease's rest unused while the other refuses.
      expect(served).toBeLessThanOrEqual(120);
      expect(served).toBeGreaterThanOrEqual(114);
      expect(statuses.filter((status) => status === 429)).toHaveLength(200 - served);
    } finally {
      await stopped(serve);
    }
  });

  it("serves /metrics, on the listener and on the main port, with the requests of all workers summed", async () => {
    const { db } = freshDatabase();
    const metricsToken = "0123456789abcdef0123456789abcdef-workers";
    const serve = await startServe(["--db", db, "--workers", "2", "--metrics-port", "0"], { ...info, MUSTER_METRICS_TOKEN: metricsToken });
    try {
      const listener = await waitFor("the metrics listener", () => /Metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(serve.stderr())?.[1]);
      for (let i = 0; i < 10; i++) expect((await send("GET", `${serve.url}/healthz`)).status).toBe(200);
      // Request lines reach the log in blocks (log-destination.ts), within 250 ms.
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      const healthz = { route: "/healthz", method: "GET", status_class: "2xx" };
      expect(countOf(await scrape(`${listener}/metrics`, metricsToken), "muster_http_request_duration_seconds", healthz)).toBe(10);
      // Whichever worker serves this scrape, it reports both.
      for (let i = 0; i < 2; i++) expect(countOf(await scrape(`${serve.url}/metrics`, metricsToken), "muster_http_request_duration_seconds", healthz)).toBe(10);
    } finally {
      await stopped(serve);
    }
  });

  it("exits 1 with the reason when the workers cannot listen", async () => {
    const { db } = freshDatabase();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = squatter.address() as AddressInfo;
      const result = runMuster(["serve", "--db", db, "--host", "127.0.0.1", "--port", String(port), "--workers", "2"]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/\[worker \d\] Could not start: .*EADDRINUSE/);
      expect(result.stderr).toMatch(/Worker \d \(process \d+\) exited with code 1 before it was listening; stopping\./);
      expect(result.stderr).not.toContain("Muster is listening");
    } finally {
      squatter.close();
    }
  });
});
