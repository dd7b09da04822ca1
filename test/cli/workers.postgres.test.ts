import { afterEach, describe, expect, it } from "vitest";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../../src/store/testing/test-database.js";
import { countOf, scrape, valueOf } from "../support/scrape.js";
import { runMuster, startServe } from "./muster-process.js";
import { requestPids, scimUser, send, waitFor } from "./worker-requests.js";

/* `muster serve --workers 2` on PostgreSQL: the workers are nodes of one database, each with its own pool. */

const databases: string[] = [];
afterEach(async () => {
  for (const url of databases.splice(0)) await dropTestPostgresDatabase(url);
});

describe("muster serve --workers on PostgreSQL", () => {
  it("gives one 201 for concurrent creates of one userName through both workers, and counts both pools in /metrics", async () => {
    const db = await createTestPostgresDatabase();
    databases.push(db);
    expect(runMuster(["tenants", "create", "default", "--db", db]).status).toBe(0);
    const token = (JSON.parse(runMuster(["tokens", "create", "--tenant", "default", "--client", "Okta", "--db", db, "--json"]).stdout) as { token: string }).token;
    const serve = await startServe(["--db", db, "--workers", "2", "--metrics-port", "0"], { MUSTER_LOG_LEVEL: "info" });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => send("POST", `${serve.url}/scim/v2/default/Users`, token, scimUser("same@example.com"))));
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 409)).toHaveLength(19);
      // Request lines reach the log in blocks (log-destination.ts), within 250 ms.
      await waitFor("request logs of both workers", () => requestPids(serve).size === 2);
      const listener = await waitFor("the metrics listener", () => /Metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(serve.stderr())?.[1]);
      const scraped = await scrape(`${listener}/metrics`);
      // Pool size × workers: each worker's pool of 10.
      expect(valueOf(scraped, "muster_db_pool_max_connections")).toBe(20);
      expect(countOf(scraped, "muster_http_request_duration_seconds", { route: "/scim/v2/:tenant/Users", method: "POST" })).toBe(20);
    } finally {
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }
  });
});
