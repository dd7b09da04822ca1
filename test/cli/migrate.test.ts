import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runMuster, runMusterAsync, startServe } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const migrations = ["0001-initial", "0002-admin-accounts", "0003-activity", "0004-search-terms", "0005-user-key-columns", "0006-resource-counts", "0007-resource-count-revisions", "0008-audit-events", "0009-resource-count-shards", "0010-change-feed", "0011-outbound-apps"];

let files = 0;
function newDatabase(): { file: string; url: string } {
  const file = join(dir, `db-${++files}.db`);
  return { file, url: `sqlite:${file}` };
}

function recordedMigrations(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare("select name from kysely_migration order by name").pluck().all() as string[];
  } finally {
    db.close();
  }
}

function addFutureMigration(file: string, name: string): void {
  const db = new BetterSqlite3(file);
  db.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run(name, "2030-01-01T00:00:00.000Z");
  db.close();
}

describe("muster migrate", () => {
  it("applies every migration to a new database and says so, then finds nothing to apply", () => {
    const { file, url } = newDatabase();
    const first = runMuster(["migrate", "--db", url]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`Applied 11 migrations: ${migrations.join(", ")}.\nNow the database is at 0011-outbound-apps, the latest migration this build knows.\n`);
    const second = runMuster(["migrate", "--db", url]);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe("Nothing to apply: the database is at 0011-outbound-apps, the latest migration this build knows.\n");
    expect(recordedMigrations(file)).toEqual(migrations);
  });

  it("with --check applies nothing and exits 3 while migrations are pending, 0 once there are none", () => {
    const { file, url } = newDatabase();
    const pending = runMuster(["migrate", "--check", "--db", url]);
    expect(pending.status).toBe(3);
    expect(pending.stdout).toContain(`Pending migrations: ${migrations.join(", ")}.`);
    expect(runMuster(["migrate", "--db", url]).status).toBe(0);
    const current = runMuster(["migrate", "--check", "--db", url]);
    expect(current.status).toBe(0);
    expect(current.stdout).toContain("Up to date: the database is at 0011-outbound-apps");
    expect(recordedMigrations(file)).toEqual(migrations);
  });

  it("applies each migration once when several processes migrate one database at the same moment", async () => {
    const { file, url } = newDatabase();
    const runs = await Promise.all(Array.from({ length: 3 }, () => runMusterAsync(["migrate", "--db", url])));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const applied = runs.flatMap((run) => /^Applied \d+ migrations?: (.*)\.$/m.exec(run.stdout)?.[1]?.split(", ") ?? []);
    expect(applied.sort()).toEqual(migrations);
    expect(runs.filter((run) => run.stdout.startsWith("Nothing to apply")).length).toBe(2);
    expect(recordedMigrations(file)).toEqual(migrations);
  });

  it("refuses a database a newer Muster migrated, in migrate, serve and every other command, naming the unknown migration", async () => {
    const { file, url } = newDatabase();
    runMuster(["tenants", "create", "acme", "--db", url]);
    addFutureMigration(file, "0099-from-a-newer-muster");
    for (const args of [["migrate"], ["migrate", "--check"], ["tenants", "list"], ["serve", "--port", "0"]]) {
      const result = runMuster([...args, "--db", url]);
      expect(result.status, args.join(" ")).toBe(1);
      expect(result.stderr).toContain("The database has 1 migration this build of Muster does not know (0099-from-a-newer-muster)");
    }
    expect(recordedMigrations(file)).toEqual([...migrations, "0099-from-a-newer-muster"]);
  });
});

describe("serve and migrations", () => {
  it("migrates a new database on start by default and says which migrations it applied", async () => {
    const { file, url } = newDatabase();
    const serve = await startServe(["--db", url]);
    try {
      expect(serve.stderr()).toContain(`Applied database migrations: ${migrations.join(", ")}.`);
      expect(recordedMigrations(file)).toEqual(migrations);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });

  it("with --no-migrate or MUSTER_AUTO_MIGRATE=false refuses pending migrations, and starts once muster migrate ran", async () => {
    const { url } = newDatabase();
    for (const [args, env] of [[["--no-migrate"], {}], [[], { MUSTER_AUTO_MIGRATE: "false" }]] as const) {
      const refused = runMuster(["serve", "--port", "0", "--db", url, ...args], env);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("lacks 11 migrations of this build (0001-initial, 0002-admin-accounts, 0003-activity, 0004-search-terms, 0005-user-key-columns, 0006-resource-counts, 0007-resource-count-revisions, 0008-audit-events, 0009-resource-count-shards, 0010-change-feed, 0011-outbound-apps) and automatic migration is off");
      expect(refused.stderr).toContain("run `muster migrate` first");
    }
    const tenants = runMuster(["tenants", "list", "--db", url], { MUSTER_AUTO_MIGRATE: "false" });
    expect(tenants.status).toBe(1);
    expect(runMuster(["migrate", "--db", url], { MUSTER_AUTO_MIGRATE: "false" }).status).toBe(0);
    const serve = await startServe(["--db", url, "--no-migrate"]);
    try {
      expect(serve.stderr()).not.toContain("Applied database migrations");
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });

  it("lets --migrate override MUSTER_AUTO_MIGRATE=false", async () => {
    const { url } = newDatabase();
    const serve = await startServe(["--db", url, "--migrate"], { MUSTER_AUTO_MIGRATE: "false" });
    try {
      expect(serve.stderr()).toContain("Applied database migrations");
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });
});
