import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMuster, startServe } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-admins-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const password = "a long enough password";
const json = { "content-type": "application/json" };

async function api(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api${path}`, { method, headers: { ...json, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("muster admins", () => {
  it("creates an admin from a password on stdin and lists it, never printing the hash", () => {
    const db = `sqlite:${join(dir, "stdin.db")}`;
    const created = runMuster(["admins", "create", "al@example.com", "--password-stdin", "--db", db, "--json"], {}, `${password}\n`);
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ id: expect.any(String), email: "al@example.com", createdAt: expect.any(String), passwordChangedAt: null });
    const text = runMuster(["admins", "list", "--db", db]);
    expect(text.stdout).toMatch(/^ID\s+EMAIL\s+CREATED\s+PASSWORD CHANGED\n/);
    expect(text.stdout).toContain("al@example.com");
    expect(text.stdout).toContain("never");
    const listed = JSON.parse(runMuster(["admins", "list", "--db", db, "--json"]).stdout);
    expect(listed).toEqual([JSON.parse(created.stdout)]);
    expect(text.stdout + JSON.stringify(listed)).not.toContain("argon2");
  });

  it("refuses a short password, a taken email and a malformed email with a sentence and exit code 1", () => {
    const db = `sqlite:${join(dir, "refusals.db")}`;
    const short = runMuster(["admins", "create", "al@example.com", "--password-stdin", "--db", db], {}, "short\n");
    expect(short.status).toBe(1);
    expect(short.stderr).toBe("muster: The password must be at least 12 characters long.\n");
    expect(runMuster(["admins", "create", "al@example.com", "--password-stdin", "--db", db], {}, password).status).toBe(0);
    const taken = runMuster(["admins", "create", "AL@example.com", "--password-stdin", "--db", db], {}, password);
    expect(taken.stderr).toBe('muster: An admin with email "AL@example.com" already exists.\n');
    const linkForTaken = runMuster(["admins", "create", "al@example.com", "--db", db]);
    expect(linkForTaken.status).toBe(1);
    expect(linkForTaken.stderr).toContain("already exists");
    const malformed = runMuster(["admins", "create", "not-an-email", "--db", db]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toBe('muster: "not-an-email" is not an email address.\n');
  });

  it("without --password-stdin prints a one-time setup link under the public URL, which a running server accepts once", async () => {
    const db = `sqlite:${join(dir, "link.db")}`;
    const linked = runMuster(["admins", "create", "bea@example.com", "--db", db, "--public-url", "https://muster.example.com/"]);
    expect(linked.status).toBe(0);
    const url = /https:\/\/muster\.example\.com\/admin\/setup\/([A-Za-z0-9_-]{43})/.exec(linked.stdout);
    expect(url).not.toBeNull();
    expect(linked.stdout).toContain("One-time setup link for bea@example.com");
    const asJson = JSON.parse(runMuster(["admins", "create", "cy@example.com", "--db", db, "--json"]).stdout);
    expect(asJson).toEqual({ email: "cy@example.com", setupUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8080\/admin\/setup\/[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });

    const serve = await startServe(["--db", db]);
    try {
      const secret = url![1]!;
      expect((await api(serve.url, "GET", `/setup/${secret}`)).body).toMatchObject({ email: "bea@example.com" });
      const done = await api(serve.url, "POST", `/setup/${secret}`, { password });
      expect(done.status).toBe(200);
      expect(done.body.admin.email).toBe("bea@example.com");
      expect((await api(serve.url, "POST", `/setup/${secret}`, { password })).status).toBe(410);
    } finally {
      serve.child.kill("SIGTERM");
    }
    expect(await serve.exited).toBe(0);
    expect(JSON.parse(runMuster(["admins", "list", "--db", db, "--json"]).stdout).map((a: { email: string }) => a.email)).toEqual(["bea@example.com"]);
  });
});

describe("muster serve without admins", () => {
  it("prints a new first-admin setup link at each start until an admin exists, and the log never shows secrets", async () => {
    const db = `sqlite:${join(dir, "first.db")}`;
    const firstStart = await startServe(["--db", db], { MUSTER_LOG_LEVEL: "info" });
    await waitFor(() => firstStart.stderr().includes("/admin/setup/"));
    firstStart.child.kill("SIGTERM");
    expect(await firstStart.exited).toBe(0);
    const oldSecret = /\/admin\/setup\/([A-Za-z0-9_-]{43})/.exec(firstStart.stderr())?.[1];
    expect(firstStart.stderr()).toContain("No admin account exists yet");
    expect(oldSecret).toBeDefined();

    const serve = await startServe(["--db", db], { MUSTER_LOG_LEVEL: "info" });
    try {
      await waitFor(() => serve.stderr().includes("/admin/setup/"));
      const link = new RegExp(`${serve.url.replace(/[.]/g, "\\.")}/admin/setup/([A-Za-z0-9_-]{43})`).exec(serve.stderr());
      expect(link).not.toBeNull();
      const secret = link![1]!;
      expect(secret).not.toBe(oldSecret);
      expect((await api(serve.url, "GET", `/setup/${secret}`)).body).toMatchObject({ email: null });
      const done = await api(serve.url, "POST", `/setup/${secret}`, { email: "owner@example.com", password });
      expect(done.status).toBe(200);
      const cookie = done.headers.getSetCookie()[0]!.split(";")[0]!;
      expect((await api(serve.url, "GET", "/session", undefined, { cookie })).status).toBe(200);
      expect((await api(serve.url, "GET", `/setup/${oldSecret}`)).status).toBe(410);

      await waitFor(() => serve.stdout().includes('"path":"/api/session"'));
      const log = serve.stdout();
      expect(log).toContain('"path":"/api/setup/[redacted]"');
      const sessionLine = log.trim().split("\n").map((line) => JSON.parse(line)).find((line) => line.path === "/api/session" && line.method === "GET");
      expect(sessionLine).toMatchObject({ status: 200, adminId: done.body.admin.id });
      for (const secretValue of [secret, oldSecret!, password, cookie.split("=")[1]!, done.body.csrfToken]) expect(log).not.toContain(secretValue);
    } finally {
      serve.child.kill("SIGTERM");
    }
    expect(await serve.exited).toBe(0);

    const third = await startServe(["--db", db]);
    await waitFor(() => third.stderr().includes("Admin console:"));
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
    expect(third.stderr()).toContain(`Admin console: ${third.url}/admin\n`);
    expect(third.stderr()).not.toContain("/admin/setup/");
  });
});
