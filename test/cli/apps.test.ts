import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMuster, startServe, type ServeProcess } from "./muster-process.js";

/*
 * As a user would: two `muster serve` processes on their own SQLite databases; `muster apps create`
 * points tenant "default" of A at tenant "default" of B (B's token piped on stdin), and A's engine pushes
 * A's users and group into B over HTTP. The commands show the statistics, the logs, Test Connection,
 * pause and resume, and provision on demand.
 */

const dir = mkdtempSync(join(tmpdir(), "muster-apps-"));
const dbA = `sqlite:${join(dir, "a.db")}`;
const dbB = `sqlite:${join(dir, "b.db")}`;
const env = { MUSTER_SECRET_KEY_FILE: join(dir, "secret.key"), MUSTER_APPS_ALLOW_PRIVATE: "true" };
let a: ServeProcess;
let b: ServeProcess;
let tokenA: string;
let tokenB: string;
let appId: string;

async function scim(url: string, token: string, method = "GET", body?: unknown) {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/scim+json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms\nA:\n${a.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const muster = (args: string[], input?: string) => runMuster(args, env, input);
const userNamesInB = async () => ((await scim(`${b.url}/scim/v2/default/Users?count=100`, tokenB)).body.Resources as { userName: string }[]).map((user) => user.userName).sort();

beforeAll(async () => {
  // A runs two workers: the primary creates the secret key before forking, and the workers share the apps through leases.
  [a, b] = await Promise.all([startServe(["--db", dbA, "--workers", "2"], env), startServe(["--db", dbB, "--workers", "1"], env)]);
  tokenA = JSON.parse(muster(["tokens", "create", "--tenant", "default", "--client", "Loader", "--db", dbA, "--json"]).stdout).token;
  tokenB = JSON.parse(muster(["tokens", "create", "--tenant", "default", "--client", "Muster A", "--db", dbB, "--json"]).stdout).token;
}, 60_000);
afterAll(async () => {
  for (const serve of [a, b]) {
    serve?.child.kill("SIGTERM");
    await serve?.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("muster apps", () => {
  it("pushes tenant A into tenant B of another muster serve, and shows the counts and the logs", async () => {
    const ids: string[] = [];
    for (const name of ["ann", "bob", "cy"]) ids.push((await scim(`${a.url}/scim/v2/default/Users`, tokenA, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `${name}@a.example`, name: { givenName: name } })).body.id);
    await scim(`${a.url}/scim/v2/default/Groups`, tokenA, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Engineering", members: [{ value: ids[0] }, { value: ids[1] }] });

    const created = muster(["apps", "create", "--tenant", "default", "--name", "Muster B", "--url", `${b.url}/scim/v2/default`, "--token-stdin", "--scope", "all", "--provisioning", "on", "--test", "--json", "--db", dbA], `${tokenB}\n`);
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    const app = JSON.parse(created.stdout);
    appId = app.id;
    expect(app).toMatchObject({ name: "Muster B", provisioning: "on", tokenHint: `••••${tokenB.slice(-4)}` });
    expect(created.stdout).not.toContain(tokenB);
    expect(statSync(env.MUSTER_SECRET_KEY_FILE).mode & 0o777).toBe(0o600);

    await until("the users in B", async () => JSON.stringify(await userNamesInB()) === JSON.stringify(["ann@a.example", "bob@a.example", "cy@a.example"]));
    const group = await until("the group's members in B", async () => {
      const found = (await scim(`${b.url}/scim/v2/default/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`, tokenB)).body.Resources as { id: string }[];
      const detail = found[0] && (await scim(`${b.url}/scim/v2/default/Groups/${found[0].id}`, tokenB)).body;
      return detail?.members?.length === 2 && detail;
    });
    expect(group.displayName).toBe("Engineering");

    const listed = await until("the completed cycle", async () => {
      const apps = JSON.parse(muster(["apps", "list", "--tenant", "default", "--json", "--db", dbA]).stdout);
      return apps[0]?.status.lastCycle?.outcome === "completed" && apps;
    });
    expect(listed).toHaveLength(1);
    expect(listed[0].status).toMatchObject({ phase: "incremental", lastCycle: { kind: "initial", counts: { created: 4, failed: 0 } }, totals: { created: 4 }, links: { users: { synced: 3 }, groups: { synced: 1 } } });
    const table = muster(["apps", "list", "--tenant", "default", "--db", dbA]);
    expect(table.stdout).toMatch(/Muster B\s+on\s+incremental\s+initial completed/);
    expect(table.stdout).toContain("4 created");

    const logs = muster(["apps", "logs", "--tenant", "default", appId, "--db", dbA]);
    expect(logs.status).toBe(0);
    expect(logs.stdout.split("\n").filter((line) => /\bcreate\s+success\b/.test(line))).toHaveLength(4);
    expect(logs.stdout).toMatch(/\bmembers\s+success\s+Group\b/);
    const json = JSON.parse(muster(["apps", "logs", "--tenant", "default", appId, "--action", "create", "--json", "--db", dbA]).stdout);
    expect(json.map((entry: { sourceId: string }) => entry.sourceId)).toEqual(expect.arrayContaining(ids));

    for (const serve of [a, b]) expect(serve.stdout() + serve.stderr()).not.toContain(tokenB);
  });

  it("tests the connection in words and exits 0 only when it passes", () => {
    const passed = muster(["apps", "test", "--tenant", "default", appId, "--db", dbA]);
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain("✓ The target accepted the Secret Token.");
    expect(passed.stdout.trimEnd().split("\n").at(-1)).toBe("Test Connection passed.");

    const wrong = JSON.parse(muster(["apps", "create", "--tenant", "default", "--name", "Wrong token", "--url", `${b.url}/scim/v2/default`, "--token-stdin", "--json", "--db", dbA], "not-the-token-of-b").stdout);
    const failed = muster(["apps", "test", "--tenant", "default", wrong.id, "--db", dbA]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/✗ The Secret Token was refused: the target answered 401/);
    expect(failed.stdout).toContain("Test Connection failed.");
    expect(muster(["apps", "delete", "--tenant", "default", wrong.id, "--db", dbA]).status).toBe(0);
  });

  it("pauses and resumes: a change made while paused arrives after resume", async () => {
    expect(muster(["apps", "pause", "--tenant", "default", appId, "--db", dbA]).stdout).toContain("provisioning is off");
    await until("the runner to stop", async () => JSON.parse(muster(["apps", "list", "--tenant", "default", "--json", "--db", dbA]).stdout)[0].status.worker === null);
    await scim(`${a.url}/scim/v2/default/Users`, tokenA, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "dee@a.example" });
    const paused = JSON.parse(muster(["apps", "list", "--tenant", "default", "--json", "--db", dbA]).stdout)[0];
    expect(paused.status).toMatchObject({ phase: "off", backlog: { count: 1 } });
    expect(await userNamesInB()).not.toContain("dee@a.example");
    expect(muster(["apps", "resume", "--tenant", "default", appId, "--db", dbA]).stdout).toContain("provisioning is on");
    await until("the change made while paused", async () => (await userNamesInB()).includes("dee@a.example"));
  });

  it("provisions one user on demand, and shows a dry run without sending it", async () => {
    expect(muster(["apps", "pause", "--tenant", "default", appId, "--db", dbA]).status).toBe(0);
    const user = (await scim(`${a.url}/scim/v2/default/Users`, tokenA, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "eve@a.example" })).body.id;
    const dry = muster(["apps", "provision", "--tenant", "default", appId, "--user", user, "--dry-run", "--db", dbA]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("dry run, nothing sent");
    expect(dry.stdout).toContain("would send: POST /Users");
    expect(await userNamesInB()).not.toContain("eve@a.example");
    const done = muster(["apps", "provision", "--tenant", "default", appId, "--user", user, "--db", dbA]);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/^User .+: success \(write: in scope\)/);
    expect(done.stdout).toMatch(/POST \/Users → 201/);
    expect(await userNamesInB()).toContain("eve@a.example");
    expect(muster(["apps", "provision", "--tenant", "default", appId, "--db", dbA]).stderr).toContain("Give exactly one of --user <id> and --group <id>.");
  });

  it("never takes the token from the command line, and refuses bad settings with their paths", () => {
    const noStdin = muster(["apps", "create", "--tenant", "default", "--name", "X", "--url", "https://x.example/scim", "--db", dbA]);
    expect(noStdin.status).toBe(1);
    expect(noStdin.stderr).toContain("--token-stdin");
    const bad = muster(["apps", "create", "--tenant", "default", "--name", "X", "--url", "https://x.example/scim?q=1", "--token-stdin", "--db", dbA], "some-token-value");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("baseUrl: must not contain a query");
  });
});
