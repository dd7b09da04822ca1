import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { dumpTables, expectSameRows, fillInstallation } from "../../src/store/testing/installation.js";
import { runMuster } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-copy-"));
const source = `sqlite:${join(dir, "source.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const store = await openStore(source);
  try {
    await fillInstallation(store, { tenants: 2, users: 30 });
  } finally {
    await store.close();
  }
});

/** The verification table's rows as table → [source, target, check]. */
function verification(stdout: string): Map<string, string[]> {
  const lines = stdout.split("\n").filter((line) => /^[a-z_]+\s+[\d,]+\s+[\d,]+\s+\S+$/.test(line));
  return new Map(lines.map((line) => line.split(/\s+/)).map(([table, ...cells]) => [table!, cells]));
}

describe("muster copy", () => {
  it("copies a whole installation into a new database, reports progress per table and equal counts, and exits 0", async () => {
    const target = `sqlite:${join(dir, "target.db")}`;
    const result = runMuster(["copy", "--from", source, "--to", target, "--batch", "7"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Copying ${source} into ${target}, 7 rows at a time.`);
    expect(result.stderr).toContain("  users: 60 rows");
    expect(result.stderr).toContain("  tenants: 2 rows");
    const counts = verification(result.stdout);
    expect(counts.get("users")).toEqual(["60", "60", "ok"]);
    expect(counts.get("group_members")).toEqual(["32", "32", "ok"]);
    expect(counts.has("admin_sessions")).toBe(false);
    expect(counts.has("login_failures")).toBe(false);
    expect([...counts.values()].every(([from, to, check]) => from === to && check === "ok")).toBe(true);
    expect(result.stdout).toMatch(/Copied [\d,]+ rows in \d+s; every table has the same number of rows on both sides\./);

    const [from, to] = [await openStore(source), await openStore(target)];
    try {
      expectSameRows(await dumpTables(to), await dumpTables(from));
    } finally {
      await from.close();
      await to.close();
    }
  });

  it("refuses a target that already holds data, exits 1 and leaves it as it was", () => {
    const target = `sqlite:${join(dir, "occupied.db")}`;
    expect(runMuster(["tenants", "create", "already-here", "--db", target]).status).toBe(0);
    const result = runMuster(["copy", "--from", source, "--to", target]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("muster: The target database is not empty (tenants: 1, audit_events: 1).");
    expect(result.stdout).toBe("");
    const tenants = runMuster(["tenants", "list", "--db", target, "--json"]);
    expect(JSON.parse(tenants.stdout).map((tenant: { slug: string }) => tenant.slug)).toEqual(["already-here"]);
  });

  it("refuses a source that does not exist without creating it, and the same database on both sides", () => {
    const missing = join(dir, "typo.db");
    const result = runMuster(["copy", "--from", `sqlite:${missing}`, "--to", `sqlite:${join(dir, "unused.db")}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Cannot open the source database (sqlite:${missing}): there is no SQLite database at ${missing}.`);
    expect(existsSync(missing)).toBe(false);
    const same = runMuster(["copy", "--from", source, "--to", source]);
    expect(same.status).toBe(1);
    expect(same.stderr).toContain("--from and --to name the same database");
  });

  it("rejects a batch size that is not a positive whole number", () => {
    const result = runMuster(["copy", "--from", source, "--to", `sqlite:${join(dir, "never.db")}`, "--batch", "0"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("must be a whole number from 1 to 100000");
    expect(existsSync(join(dir, "never.db"))).toBe(false);
  });
});
