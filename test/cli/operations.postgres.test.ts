import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { dumpTables, expectSameRows, fillInstallation } from "../../src/store/testing/installation.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../../src/store/testing/test-database.js";
import { runMuster, runMusterAsync, startServe } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-pg-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const databases: string[] = [];
afterEach(async () => {
  for (const url of databases.splice(0)) await dropTestPostgresDatabase(url);
});
const migrations = ["0001-initial", "0002-admin-accounts", "0003-activity", "0004-search-terms", "0005-user-key-columns", "0006-resource-counts", "0007-resource-count-revisions", "0008-audit-events", "0009-resource-count-shards", "0010-change-feed", "0011-outbound-apps"];

async function freshDatabase(): Promise<string> {
  const url = await createTestPostgresDatabase();
  databases.push(url);
  return url;
}

async function recordedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>("select name from kysely_migration order by name")).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/** The verification table's rows as table → [source, target, check]. */
function verification(stdout: string): Map<string, string[]> {
  const lines = stdout.split("\n").filter((line) => /^[a-z_]+\s+[\d,]+\s+[\d,]+\s+\S+$/.test(line));
  return new Map(lines.map((line) => line.split(/\s+/)).map(([table, ...cells]) => [table!, cells]));
}

async function scim(url: string, token: string, method = "GET", body?: unknown) {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/scim+json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("muster migrate on PostgreSQL", () => {
  it("applies each migration once when several processes migrate one database at the same moment", async () => {
    const url = await freshDatabase();
    const runs = await Promise.all(Array.from({ length: 3 }, () => runMusterAsync(["migrate", "--db", url])));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const applied = runs.flatMap((run) => /^Applied \d+ migrations?: (.*)\.$/m.exec(run.stdout)?.[1]?.split(", ") ?? []);
    expect(applied.sort()).toEqual(migrations);
    expect(await recordedMigrations(url)).toEqual(migrations);
    expect(runMuster(["migrate", "--check", "--db", url]).status).toBe(0);
  });

  it("refuses a database a newer Muster migrated, in serve and the other commands", async () => {
    const url = await freshDatabase();
    expect(runMuster(["migrate", "--db", url]).status).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("insert into kysely_migration (name, timestamp) values ('0099-from-a-newer-muster', '2030-01-01T00:00:00.000Z')");
    await client.end();
    for (const args of [["serve", "--port", "0"], ["tenants", "list"], ["migrate"]]) {
      const result = runMuster([...args, "--db", url]);
      expect(result.status, args.join(" ")).toBe(1);
      expect(result.stderr).toContain("does not know (0099-from-a-newer-muster)");
    }
  });
});

describe("muster copy between SQLite and PostgreSQL", () => {
  it("moves an installation to PostgreSQL and back with equal counts, and the copies hold the same rows", async () => {
    const origin = `sqlite:${join(dir, "origin.db")}`;
    const store = await openStore(origin);
    await fillInstallation(store, { tenants: 2, users: 40 });
    await store.close();
    const postgres = await freshDatabase();

    const there = runMuster(["copy", "--from", origin, "--to", postgres, "--batch", "9"]);
    expect(there.status, there.stderr).toBe(0);
    expect(verification(there.stdout).get("users")).toEqual(["80", "80", "ok"]);
    expect([...verification(there.stdout).values()].every(([from, to, check]) => from === to && check === "ok")).toBe(true);
    const back = `sqlite:${join(dir, "back.db")}`;
    const again = runMuster(["copy", "--from", postgres, "--to", back]);
    expect(again.status, again.stderr).toBe(0);
    expect(verification(again.stdout)).toEqual(verification(there.stdout));
    expect(again.stderr).not.toContain("password");

    const [first, middle, last] = [await openStore(origin), await openStore(postgres), await openStore(back)];
    try {
      const expected = await dumpTables(first);
      expectSameRows(await dumpTables(middle), expected);
      expectSameRows(await dumpTables(last), expected);
    } finally {
      await Promise.all([first.close(), middle.close(), last.close()]);
    }
    // Back on SQLite the documents are JSON.stringify's text again (responses send it as stored), not jsonb's.
    const copied = new BetterSqlite3(join(dir, "back.db"), { readonly: true });
    try {
      const texts = copied.prepare("select attributes from users").pluck().all() as string[];
      expect(texts).toHaveLength(80);
      for (const text of texts) expect(text).toBe(JSON.stringify(JSON.parse(text)));
    } finally {
      copied.close();
    }

    const occupied = runMuster(["copy", "--from", origin, "--to", postgres]);
    expect(occupied.status).toBe(1);
    expect(occupied.stderr).toContain("The target database is not empty (tenants: 2, settings: 2, tokens: 4,");
  });

  it("serves a copied SQLite installation from two PostgreSQL nodes with its old token", async () => {
    const origin = `sqlite:${join(dir, "moving.db")}`;
    runMuster(["tenants", "create", "acme", "--db", origin]);
    const { token } = JSON.parse(runMuster(["tokens", "create", "--tenant", "acme", "--client", "Entra", "--db", origin, "--json"]).stdout);
    const before = await startServe(["--db", origin]);
    const created = await scim(`${before.url}/scim/v2/acme/Users`, token, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "before-the-move@example.org" });
    expect(created.status).toBe(201);
    before.child.kill("SIGTERM");
    expect(await before.exited).toBe(0);

    const postgres = await freshDatabase();
    expect(runMuster(["copy", "--from", origin, "--to", postgres]).status).toBe(0);
    const nodes = [await startServe(["--db", postgres, "--no-migrate"]), await startServe(["--db", postgres, "--no-migrate"])];
    try {
      const results = await Promise.all(
        nodes.map((node, i) => scim(`${node.url}/scim/v2/acme/Users`, token, "POST", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `node${i}@example.org` })),
      );
      expect(results.map((result) => result.status)).toEqual([201, 201]);
      for (const node of nodes) {
        const list = await scim(`${node.url}/scim/v2/acme/Users?sortBy=userName`, token);
        expect(list.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["before-the-move@example.org", "node0@example.org", "node1@example.org"]);
        expect((await scim(`${node.url}/scim/v2/acme/Users/${created.body.id}`, token)).body.meta.version).toBe(created.body.meta.version);
      }
    } finally {
      for (const node of nodes) node.child.kill("SIGTERM");
      await Promise.all(nodes.map((node) => node.exited));
    }
  });
});
