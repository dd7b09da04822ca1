import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/admin-accounts.js";
import { systemActor } from "../../src/admin/audit-trail.js";
import { createSetupLink } from "../../src/admin/setup-links.js";
import { cliActor } from "../../src/cli/cli-actor.js";
import { hashSecret } from "../../src/provisioning/tokens.js";
import { sessionCookieOf } from "../support/admin-session.js";
import { startTestServer, type ScimResponse, type TestServer } from "../support/scim-server.js";

/*
 * Every audited action, performed with secrets whose values the test knows (passwords, a password typed
 * into the email field, SCIM tokens, setup links, session cookies, CSRF tokens, a forged CSRF token),
 * then every column of every audit row, the API's pages and both exports are searched for each secret
 * and for the digests the database keeps of them.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const secrets = new Map<string, string>();
const remember = (name: string, value: string) => {
  secrets.set(name, value);
  return value;
};

const json = { "content-type": "application/json" };
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResponse> =>
  server.fetch(method, `${server.url}/api${path}`, { headers: { ...json, ...headers }, ...(body === undefined ? {} : { body }) });

/** A session's cookie and CSRF token, remembered as secrets. */
function sessionOf(response: ScimResponse, name: string): Record<string, string> {
  expect(response.status).toBe(200);
  const cookie = sessionCookieOf(response.headers)!;
  remember(`${name} cookie`, cookie.split("=")[1]!);
  remember(`${name} csrf token`, response.body.csrfToken);
  return { cookie, "x-csrf-token": response.body.csrfToken };
}

it("never writes a secret into the audit log, its pages or its exports", async () => {
  const owner = "owner@example.com";
  const first = await createSetupLink(server.store, systemActor("first start"), null);
  remember("first-admin setup link", first.secret);
  const setup = sessionOf(await call("POST", `/setup/${first.secret}`, { email: owner, password: remember("first password", "first secret passphrase 1") }), "setup session");
  expect((await call("POST", `/setup/${remember("unknown setup link", "A".repeat(43))}`, { password: "whatever passphrase 9" })).status).toBe(410);

  expect((await call("POST", "/session", { email: owner, password: remember("wrong password", "wrong secret passphrase 2") })).status).toBe(401);
  expect((await call("POST", "/session", { email: remember("password typed as email", "typed-into-email-field 3"), password: "first secret passphrase 1" })).status).toBe(401);
  const signedIn = sessionOf(await call("POST", "/session", { email: owner, password: "first secret passphrase 1" }), "password session");
  expect((await call("DELETE", "/session", undefined, setup)).status).toBe(204);

  expect((await call("PUT", "/session/password", { currentPassword: remember("wrong current password", "not my password either 4"), newPassword: "second secret passphrase 5" }, signedIn)).status).toBe(400);
  expect((await call("PUT", "/session/password", { currentPassword: "first secret passphrase 1", newPassword: remember("second password", "second secret passphrase 5") }, signedIn)).status).toBe(204);

  const invited = await createSetupLink(server.store, cliActor(), "invited@example.com");
  remember("invitation setup link", invited.secret);
  sessionOf(await call("POST", `/setup/${invited.secret}`, { password: remember("invited password", "invited secret passphrase 6") }), "invited session");
  await createAdmin(server.store, cliActor(), "scripted@example.com", remember("scripted password", "scripted secret passphrase 7"));

  expect((await call("POST", "/tenants", { slug: "secrets", name: "Secrets Inc" }, signedIn)).status).toBe(201);
  expect((await call("PATCH", "/tenants/secrets", { name: "Secrets GmbH" }, signedIn)).status).toBe(200);
  const issued = await call("POST", "/tenants/secrets/tokens", { clientName: "Azure AD SCIM" }, signedIn);
  const token = remember("SCIM token", issued.body.token);
  remember("SCIM token secret", token.split("_").slice(2).join("_"));
  expect((await call("DELETE", `/tenants/secrets/tokens/${issued.body.summary.id}`, undefined, signedIn)).status).toBe(204);
  const second = await call("POST", "/tenants/secrets/tokens", { clientName: "Okta" }, signedIn);
  const secondToken = remember("second SCIM token", second.body.token);
  remember("second SCIM token secret", secondToken.split("_").slice(2).join("_"));
  expect((await call("DELETE", `/tenants/secrets/tokens/${encodeURIComponent(secondToken)}`, undefined, signedIn)).status).toBe(404);
  expect((await call("DELETE", `/tenants/secrets/tokens/${encodeURIComponent(secondToken.split("_").slice(2).join("_"))}`, undefined, signedIn)).status).toBe(404);
  expect((await call("DELETE", "/tenants/secrets", { confirm: "secrets" }, { ...signedIn, "x-csrf-token": remember("forged csrf token", "forged-csrf-token-value-8") })).status).toBe(403);
  expect((await call("DELETE", "/tenants/secrets", { confirm: "secrets" }, signedIn)).status).toBe(204);

  const pages = JSON.stringify((await call("GET", "/audit?count=200", undefined, signedIn)).body);
  const csv = await (await fetch(`${server.url}/api/audit/export?format=csv`, { headers: { cookie: signedIn.cookie! } })).text();
  const exported = await (await fetch(`${server.url}/api/audit/export?format=json`, { headers: { cookie: signedIn.cookie! } })).text();
  const rows = await server.raw<Record<string, unknown>>(sql`select * from audit_events`);
  const table = JSON.stringify(rows);

  const actions = new Set(rows.map((row) => `${String(row.action)} ${String(row.outcome)}`));
  for (const expected of ["admin.setup_link_created success", "admin.created success", "admin.created failure", "session.sign_in success", "session.sign_in failure", "admin.password_changed failure", "admin.password_changed success", "tenant.created success", "tenant.renamed success", "scim_token.created success", "scim_token.revoked success", "scim_token.revoked failure", "tenant.deleted failure", "tenant.deleted success", "session.sign_out success", "audit.exported success"]) {
    expect(actions, expected).toContain(expected);
  }
  expect(Object.keys(rows[0]!)).toHaveLength(18);
  // What the database keeps of the secrets is no better in the log: their digests must not appear either.
  const searched = [...secrets].flatMap(([name, value]) => [[name, value] as const, [`SHA-256 of ${name}`, hashSecret(value)] as const]);
  for (const [name, value] of searched) {
    for (const [where, text] of [["audit_events", table], ["GET /api/audit", pages], ["CSV export", csv], ["JSON export", exported]] as const) {
      expect(text.includes(value), `${name} in ${where}`).toBe(false);
    }
  }
  expect(table).not.toContain("$argon2");
});
