import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMuster, runMusterAsync, startServe, type ServeProcess } from "./muster-process.js";

/*
 * Commands run on the server are audited with the OS user as actor (kind "cli"), and what `muster serve`
 * does by itself on a fresh database with the system as actor; both read back through GET /api/audit
 * of a running server, signed in as an admin the CLI created.
 */

const dir = mkdtempSync(join(tmpdir(), "muster-cli-audit-"));
const db = `sqlite:${join(dir, "audit.db")}`;
const password = "cli audit passphrase 1";
const osUser = userInfo().username;
let serve: ServeProcess;
let cookie = "";

beforeAll(async () => {
  serve = await startServe(["--db", db]);
});
afterAll(async () => {
  serve?.child.kill("SIGTERM");
  await serve?.exited;
  rmSync(dir, { recursive: true, force: true });
});

/** Every audit event of a query, newest first. */
async function audit(query: Record<string, string>): Promise<any[]> {
  const response = await fetch(`${serve.url}/api/audit?${new URLSearchParams({ count: "200", ...query })}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: any[] }).items;
}

const cliActor = { kind: "cli", id: null, label: osUser };

describe("audit of CLI commands", () => {
  it("records what serve did by itself on the empty database: tenant default and the first-admin link", async () => {
    const created = await runMusterAsync(["admins", "create", "ops@example.com", "--password-stdin", "--db", db, "--json"], `${password}\n`);
    expect(created.status).toBe(0);
    const signIn = await fetch(`${serve.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "ops@example.com", password }) });
    expect(signIn.status).toBe(200);
    cookie = signIn.headers.getSetCookie()[0]!.split(";")[0]!;

    const system = await audit({ actorKind: "system" });
    expect(system.map((event) => [event.action, event.actor, event.outcome])).toEqual([
      ["admin.setup_link_created", { kind: "system", id: null, label: "first start" }, "success"],
      ["tenant.created", { kind: "system", id: null, label: "first start" }, "success"],
    ]);
    expect(system[1]).toMatchObject({ target: { kind: "tenant", label: "default" }, tenant: { slug: "default" }, details: { name: "Default" } });
    expect(system[0]).toMatchObject({ target: { kind: "setup_link", id: null, label: "first admin" }, details: { email: null, firstAdmin: true } });

    const [admin] = await audit({ action: "admin.created" });
    expect(admin).toMatchObject({ actor: cliActor, address: null, userAgent: null, target: { kind: "admin", id: JSON.parse(created.stdout).id, label: "ops@example.com" }, outcome: "success", details: { method: "password" } });
  });

  it("records tenants create, tokens create and tokens revoke by the OS user, and their refusals", async () => {
    expect(runMuster(["tenants", "create", "cli-acme", "--name", "CLI Acme", "--db", db]).status).toBe(0);
    const duplicate = runMuster(["tenants", "create", "cli-acme", "--db", db]);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain("is taken");
    const issued = JSON.parse(runMuster(["tokens", "create", "--tenant", "cli-acme", "--client", "Okta", "--db", db, "--json"]).stdout);
    expect(runMuster(["tokens", "revoke", issued.id, "--tenant", "cli-acme", "--db", db]).status).toBe(0);
    const unknown = runMuster(["tokens", "revoke", "0123456789abcdef01234567", "--tenant", "cli-acme", "--db", db]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("has no active token");
    expect(runMuster(["tokens", "create", "--tenant", "nowhere", "--client", "Okta", "--db", db]).status).toBe(1);

    const events = await audit({ actorKind: "cli", action: "tenant.*" });
    expect(events.map((event) => [event.action, event.outcome, event.reason])).toEqual([
      ["tenant.created", "failure", 'The slug "cli-acme" is taken by another tenant.'],
      ["tenant.created", "success", null],
    ]);
    expect(events[1]).toMatchObject({ actor: cliActor, address: null, target: { kind: "tenant", label: "cli-acme" }, tenant: { slug: "cli-acme" }, details: { name: "CLI Acme" } });

    const tokens = await audit({ actorKind: "cli", action: "scim_token.*" });
    expect(tokens.map((event) => [event.action, event.outcome, event.target, event.tenant.slug])).toEqual([
      ["scim_token.created", "failure", { kind: "scim_token", id: null, label: "Okta" }, "nowhere"],
      ["scim_token.revoked", "failure", { kind: "scim_token", id: "0123456789abcdef01234567", label: null }, "cli-acme"],
      ["scim_token.revoked", "success", { kind: "scim_token", id: issued.id, label: "Okta" }, "cli-acme"],
      ["scim_token.created", "success", { kind: "scim_token", id: issued.id, label: "Okta" }, "cli-acme"],
    ]);
    for (const event of tokens) expect(event.actor).toEqual(cliActor);
    expect(tokens[3].details).toEqual({ clientName: "Okta", maskedToken: issued.maskedToken });
    expect(JSON.stringify(await audit({}))).not.toContain(issued.token.split("_").slice(2).join("_"));
  });

  it("records admins create with a setup link, and a refused one, never the link or the password", async () => {
    const linked = runMuster(["admins", "create", "invitee@example.com", "--db", db, "--json"]);
    expect(linked.status).toBe(0);
    const { setupUrl } = JSON.parse(linked.stdout);
    expect(runMuster(["admins", "create", "ops@example.com", "--db", db]).status).toBe(1);
    const events = await audit({ actorKind: "cli", action: "admin.setup_link_created" });
    expect(events.map((event) => [event.outcome, event.target, event.reason])).toEqual([
      ["failure", { kind: "setup_link", id: null, label: "ops@example.com" }, 'An admin with email "ops@example.com" already exists.'],
      ["success", { kind: "setup_link", id: null, label: "invitee@example.com" }, null],
    ]);
    expect(events[1].details).toEqual({ email: "invitee@example.com", firstAdmin: false, expiresAt: expect.any(String) });
    const everything = JSON.stringify(await audit({}));
    expect(everything).not.toContain(setupUrl.split("/").pop());
    expect(everything).not.toContain(password);
  });

  it("records who ran a command under sudo", async () => {
    const result = runMuster(["tenants", "create", "sudoed", "--db", db], { SUDO_USER: "alice-admin" });
    expect(result.status).toBe(0);
    const [event] = await audit({ tenant: "sudoed" });
    expect(event.actor).toEqual({ kind: "cli", id: null, label: osUser === "alice-admin" ? osUser : `${osUser} (sudo by alice-admin)` });
  });
});
