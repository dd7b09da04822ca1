import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMuster, startServe } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-cli-"));
const db = `sqlite:${join(dir, "cli.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scim(url: string, token: string, method = "GET", body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/scim+json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("muster CLI", () => {
  it("creates and lists tenants, as text and as JSON", () => {
    const created = runMuster(["tenants", "create", "acme", "--name", "Acme Corp", "--db", db, "--json"]);
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ slug: "acme", name: "Acme Corp", scimBaseUrl: "http://127.0.0.1:8080/scim/v2/acme" });
    const duplicate = runMuster(["tenants", "create", "acme", "--db", db]);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain("is taken");
    const invalid = runMuster(["tenants", "create", "Not A Slug", "--db", db]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain("slug");
    const list = runMuster(["tenants", "list", "--db", db]);
    expect(list.stdout).toContain("acme");
    expect(list.stdout).toContain("Acme Corp");
  });

  it("reports configuration errors readably and names the setting", () => {
    const result = runMuster(["tenants", "list", "--db", "mysql://x"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("MUSTER_DATABASE_URL");
    const port = runMuster(["serve", "--db", db, "--port", "http"], {});
    expect(port.status).toBe(1);
    expect(port.stderr).toContain("MUSTER_PORT");
  });

  it("serves SCIM with a CLI-made token, tracks its use, revokes it, and shuts down cleanly on SIGTERM", async () => {
    const serve = await startServe(["--db", db], { MUSTER_LOG_LEVEL: "info" });
    try {
      const issued = JSON.parse(runMuster(["tokens", "create", "--tenant", "acme", "--client", "Azure AD SCIM", "--db", db, "--json"]).stdout);
      expect(issued.token).toMatch(/^mst_/);
      expect(issued.clientName).toBe("Azure AD SCIM");
      const base = `${serve.url}/scim/v2/acme`;
      const created = await scim(`${base}/Users`, issued.token, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "cli@example.org" });
      expect(created.status).toBe(201);
      expect(created.body.meta.location).toBe(`${base}/Users/${created.body.id}`);

      const listed = runMuster(["tokens", "list", "--tenant", "acme", "--db", db]);
      expect(listed.stdout).toContain("Azure AD SCIM");
      expect(listed.stdout).toContain(issued.token.slice(-4));
      expect(listed.stdout).not.toContain(issued.token);

      runMuster(["tokens", "revoke", issued.id, "--tenant", "acme", "--db", db]);
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      expect((await scim(`${base}/Users`, issued.token)).status).toBe(401);

      const json = JSON.parse(runMuster(["tokens", "list", "--tenant", "acme", "--db", db, "--json"]).stdout);
      const row = json.find((t: { id: string }) => t.id === issued.id);
      expect(row.revokedAt).not.toBeNull();
      expect(row.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(json)).not.toContain(issued.token);
      // The child's log lines arrive through a pipe the blocking CLI runs above kept us from reading.
      await waitFor(() => serve.stdout().includes('"status":401'));
      expect(serve.stdout()).not.toContain(issued.token.slice(29));
      const lines = serve.stdout().trim().split("\n").map((line) => JSON.parse(line));
      const rejected = lines.find((line) => line.status === 401);
      expect(rejected).toMatchObject({ msg: "request completed", method: "GET", path: "/scim/v2/acme/Users", error: { code: "unauthorized" } });
      expect(lines.find((line) => line.status === 201)).toMatchObject({ tenant: "acme", tokenId: issued.id });
    } finally {
      serve.child.kill("SIGTERM");
    }
    expect(await serve.exited).toBe(0);
  });

  it("creates tenant default on an empty database and says how to get a token", async () => {
    const fresh = `sqlite:${join(dir, "fresh", "muster.db")}`;
    const serve = await startServe(["--db", fresh]);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(serve.stderr()).toContain('Created tenant "default"');
    expect(serve.stderr()).toContain("/scim/v2/default");
    expect(serve.stderr()).toContain("tokens create --tenant default");
  });

  it("keeps an acknowledged write after the server is killed with SIGKILL", async () => {
    const crashDb = `sqlite:${join(dir, "crash.db")}`;
    runMuster(["tenants", "create", "crash", "--db", crashDb]);
    const { token } = JSON.parse(runMuster(["tokens", "create", "--tenant", "crash", "--client", "c", "--db", crashDb, "--json"]).stdout);
    const first = await startServe(["--db", crashDb]);
    const created = await scim(`${first.url}/scim/v2/crash/Users`, token, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "durable@example.org" });
    expect(created.status).toBe(201);
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await startServe(["--db", crashDb]);
    try {
      const fetched = await scim(`${second.url}/scim/v2/crash/Users/${created.body.id}`, token);
      expect(fetched.status).toBe(200);
      expect(fetched.body.userName).toBe("durable@example.org");
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });

  it("finishes in-flight requests on SIGTERM, and every acknowledged create is there after a restart", async () => {
    const drainDb = `sqlite:${join(dir, "drain.db")}`;
    runMuster(["tenants", "create", "drain", "--db", drainDb]);
    const { token } = JSON.parse(runMuster(["tokens", "create", "--tenant", "drain", "--client", "c", "--db", drainDb, "--json"]).stdout);
    const first = await startServe(["--db", drainDb]);
    const base = `${first.url}/scim/v2/drain`;
    let signalled = false;
    const attempts = Array.from({ length: 40 }, (_, i) =>
      scim(`${base}/Users`, token, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `drain${i}@example.org` })
        .then((response) => {
          if (!signalled) {
            signalled = true;
            first.child.kill("SIGTERM");
          }
          return response.status;
        })
        .catch(() => "refused" as const),
    );
    const outcomes = await Promise.all(attempts);
    expect(await first.exited).toBe(0);
    expect(outcomes.every((outcome) => outcome === 201 || outcome === "refused")).toBe(true);
    const acknowledged = outcomes.filter((outcome) => outcome === 201).length;
    expect(acknowledged).toBeGreaterThan(0);
    const second = await startServe(["--db", drainDb]);
    try {
      const list = await scim(`${second.url}/scim/v2/drain/Users?count=0`, token);
      expect(list.body.totalResults).toBe(acknowledged);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
