import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMuster, runMusterAsync, startServe, type ServeProcess } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-replay-"));
const db = `sqlite:${join(dir, "replay.db")}`;
let serve: ServeProcess;

function tokenFor(tenant: string): string {
  runMuster(["tenants", "create", tenant, "--db", db]);
  return JSON.parse(runMuster(["tokens", "create", "--tenant", tenant, "--client", "replay", "--db", db, "--json"]).stdout).token;
}

async function list(base: string, token: string, resource: string): Promise<any> {
  const response = await fetch(`${base}/${resource}?count=1000`, { headers: { authorization: `Bearer ${token}` } });
  return response.json();
}

beforeAll(async () => {
  serve = await startServe(["--db", db, "--log-level", "warn"]);
});
afterAll(async () => {
  serve.child.kill("SIGTERM");
  await serve.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe("muster replay (scripted IdP cycles against a freshly started Muster)", () => {
  it("replays Entra ID's initial cycle of 50 users and 5 groups, then updates, disables and deletes, ending with exactly the expected directory", async () => {
    const token = tokenFor("entra");
    const base = `${serve.url}/scim/v2/entra`;
    const result = await runMusterAsync(["replay", "entra", "--url", base, "--token", token, "--users", "50", "--groups", "5", "--keep"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Final state matches: 45 users (3 inactive), 4 groups, 50 memberships.");
    const users = await list(base, token, "Users");
    const groups = await list(base, token, "Groups");
    expect(users.totalResults).toBe(45);
    expect(users.Resources.filter((user: { active: boolean }) => user.active === false)).toHaveLength(3);
    expect(groups.totalResults).toBe(4);
    const memberships = groups.Resources.reduce((sum: number, group: { members: unknown[] }) => sum + group.members.length, 0);
    expect(memberships).toBe(50);
    expect(groups.Resources.map((group: { displayName: string }) => group.displayName).filter((name: string) => name.endsWith("Renamed"))).toHaveLength(1);
  });

  it("replays Okta's cycle (no user is ever deleted) and cleans up after itself unless told to keep", async () => {
    const token = tokenFor("okta");
    const base = `${serve.url}/scim/v2/okta`;
    const kept = await runMusterAsync(["replay", "okta", "--url", base, "--token", token, "--users", "20", "--groups", "3", "--keep"]);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toContain("Final state matches: 20 users (2 inactive), 2 groups,");
    expect((await list(base, token, "Users")).totalResults).toBe(20);
    const cleaned = await runMusterAsync(["replay", "okta", "--url", base, "--token", token, "--users", "12", "--groups", "3"]);
    expect(cleaned.status).toBe(0);
    expect(cleaned.stdout).toContain("Cleaned up");
    expect((await list(base, token, "Users")).totalResults).toBe(20);
  });

  it("fails with the step and the reason when the server does not answer as the IdP needs", async () => {
    const result = await runMusterAsync(["replay", "entra", "--url", `${serve.url}/scim/v2/entra`, "--token", "mst_wrong"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("FAILED: Test Connection: GET /Users");
    expect(result.stderr).toContain("answered 401");
  });
});
