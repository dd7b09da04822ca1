import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, parseDatabaseUrl } from "./open-store.js";

describe("parseDatabaseUrl", () => {
  it("reads relative, absolute and URL-style SQLite paths", () => {
    expect(parseDatabaseUrl("sqlite:./data/muster.db")).toEqual({ kind: "sqlite", filename: "./data/muster.db" });
    expect(parseDatabaseUrl("sqlite:/var/lib/muster.db")).toEqual({ kind: "sqlite", filename: "/var/lib/muster.db" });
    expect(parseDatabaseUrl("sqlite:///var/lib/muster.db")).toEqual({ kind: "sqlite", filename: "/var/lib/muster.db" });
    expect(parseDatabaseUrl("SQLite:muster.db")).toEqual({ kind: "sqlite", filename: "muster.db" });
  });

  it("reads sqlite::memory: as an in-memory database", () => {
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ kind: "sqlite", filename: ":memory:" });
  });

  it("reads postgres:// and postgresql:// URLs as PostgreSQL, as given", () => {
    expect(parseDatabaseUrl(" postgres://muster:s3cret@db.internal:5433/muster?sslmode=require ")).toEqual({ kind: "postgres", url: "postgres://muster:s3cret@db.internal:5433/muster?sslmode=require" });
    expect(parseDatabaseUrl("postgresql://db/muster")).toEqual({ kind: "postgres", url: "postgresql://db/muster" });
  });

  it("rejects a PostgreSQL URL that does not parse without echoing it", () => {
    expect(() => parseDatabaseUrl("postgres://muster:s3cret@db:notaport/muster")).toThrow(/^(?!.*s3cret)The postgres: database URL does not parse/);
  });

  it("rejects other schemes, missing schemes and empty paths with a sentence", () => {
    expect(() => parseDatabaseUrl("mysql://u:p@h/d")).toThrow('Unsupported database URL (the scheme "mysql:"): use sqlite:<path>, sqlite::memory: or postgres://user:password@host:port/database.');
    expect(() => parseDatabaseUrl("./muster.db")).toThrow(/without a scheme/);
    expect(() => parseDatabaseUrl("sqlite:")).toThrow(/names no file/);
  });
});

describe("openStore", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("creates missing directories of a relative path and migrates the new file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muster-open-"));
    dirs.push(dir);
    const file = join(dir, "nested", "deeper", "muster.db");
    const store = await openStore(`sqlite:${relative(process.cwd(), file)}`);
    try {
      expect(existsSync(file)).toBe(true);
      expect(store.dialect).toBe("sqlite");
      expect(await store.read((session) => session.tenants.count())).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("opens an in-memory store that is private to it", async () => {
    const first = await openStore("sqlite::memory:");
    const second = await openStore("sqlite::memory:");
    try {
      await first.write((session) => session.tenants.create({ id: "t", slug: "t", name: "T", created: "2026-01-01T00:00:00.000Z" }));
      expect(await first.read((session) => session.tenants.count())).toBe(1);
      expect(await second.read((session) => session.tenants.count())).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("reopens an existing file without migrating it again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muster-open-"));
    dirs.push(dir);
    const url = `sqlite:${join(dir, "muster.db")}`;
    const first = await openStore(url);
    await first.write((session) => session.settings.setIfAbsent("k", "v"));
    await first.close();
    const second = await openStore(url);
    try {
      expect(await second.read((session) => session.settings.get("k"))).toBe("v");
    } finally {
      await second.close();
    }
  });
});
