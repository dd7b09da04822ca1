import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { runMuster, runMusterAsync, startServe } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-backup-cli-"));
const db = `sqlite:${join(dir, "live.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("muster backup", () => {
  it("backs up while the server keeps creating users, and the backup opens with the users of one moment", async () => {
    runMuster(["tenants", "create", "live", "--db", db]);
    const { token } = JSON.parse(runMuster(["tokens", "create", "--tenant", "live", "--client", "c", "--db", db, "--json"]).stdout);
    const serve = await startServe(["--db", db]);
    const base = `${serve.url}/scim/v2/live/Users`;
    const create = (i: number) =>
      fetch(base, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `writer${i}@example.org`, displayName: "x".repeat(2_000) }),
      }).then((response) => response.status);
    let created = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        expect(await create(created)).toBe(201);
        created += 1;
      }
    })();
    try {
      while (created < 200) await new Promise((resolve) => setTimeout(resolve, 20));
      const destination = join(dir, "backups", "live-backup.db");
      const atStart = created;
      const result = await runMusterAsync(["backup", "--db", db, "--to", destination]);
      const atEnd = created;
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Backed up ${db.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} to ${destination.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: [\\d.]+ MB \\([\\d,]+ pages\\), schema at 0011-outbound-apps, quick_check ok\\.`));
      // The server kept accepting writes while the backup ran.
      expect(atEnd).toBeGreaterThan(atStart);
      writing = false;
      await writer;

      const backup = await openStore(`sqlite:${destination}`, { schema: "verify" });
      try {
        const tenant = await backup.read((s) => s.tenants.bySlug("live"));
        const users = await backup.read((s) => s.resources.list("User", tenant!.id, { page: { kind: "index", startIndex: 1, count: 0 } }));
        expect(users.totalResults).toBeGreaterThanOrEqual(atStart);
        expect(users.totalResults).toBeLessThanOrEqual(created);
      } finally {
        await backup.close();
      }
      const listed = runMuster(["tokens", "list", "--tenant", "live", "--db", `sqlite:${destination}`, "--json"]);
      expect(JSON.parse(listed.stdout)).toHaveLength(1);
    } finally {
      writing = false;
      await writer.catch(() => undefined);
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });

  it("refuses to overwrite a file unless --force is given", () => {
    const destination = join(dir, "taken.db");
    writeFileSync(destination, "something precious");
    const refused = runMuster(["backup", "--db", db, "--to", destination]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${destination} exists already; choose a new file name or pass --force to replace it.`);
    const forced = runMuster(["backup", "--db", db, "--to", destination, "--force"]);
    expect(forced.status, forced.stderr).toBe(0);
  });

  it("refuses PostgreSQL with a pointer to pg_dump, in-memory databases, and missing files", () => {
    const postgres = runMuster(["backup", "--db", "postgres://muster:s3cret@db.example/muster", "--to", join(dir, "pg.db")]);
    expect(postgres.status).toBe(1);
    expect(postgres.stderr).toContain("muster backup copies SQLite databases. Back up PostgreSQL with pg_dump");
    expect(postgres.stderr).not.toContain("s3cret");
    const memory = runMuster(["backup", "--db", "sqlite::memory:", "--to", join(dir, "memory.db")]);
    expect(memory.status).toBe(1);
    expect(memory.stderr).toContain("nothing to back up");
    const missing = runMuster(["backup", "--db", `sqlite:${join(dir, "nothing-here.db")}`, "--to", join(dir, "out.db")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("There is no SQLite database at");
    expect(existsSync(join(dir, "nothing-here.db"))).toBe(false);
    expect(existsSync(join(dir, "out.db"))).toBe(false);
  });
});
