import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMuster, startServe } from "./muster-process.js";

const dir = mkdtempSync(join(tmpdir(), "muster-json-"));
const db = `sqlite:${join(dir, "json.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const password = "a long enough password";

function cliJson(args: readonly string[], input?: string): any {
  const result = runMuster([...args, "--db", db, "--json"], {}, input);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout);
}

describe("--json output", () => {
  it("names every field as the admin API does, for tenants, tokens, admins and apps", async () => {
    const admin = cliJson(["admins", "create", "ops@example.com", "--password-stdin"], password);
    const tenant = cliJson(["tenants", "create", "acme", "--name", "Acme"]);
    const issued = cliJson(["tokens", "create", "--tenant", "acme", "--client", "Okta"]);
    const app = cliJson(["apps", "create", "--tenant", "acme", "--name", "Target", "--url", "https://scim.target.example/v2", "--token-stdin"], "target-token-0123456789");
    expect(app).toMatchObject({ name: "Target", provisioning: "off", tokenHint: "••••6789" });
    expect(Object.keys(issued).sort()).toEqual(["clientName", "createdAt", "id", "lastUsedAt", "maskedToken", "revokedAt", "scimBaseUrl", "token"]);
    expect(runMuster(["tokens", "revoke", issued.id, "--tenant", "acme", "--db", db]).status).toBe(0);

    const serve = await startServe(["--db", db]);
    try {
      const api = async (path: string, cookie?: string): Promise<any> => {
        const response = await fetch(`${serve.url}/api${path}`, cookie ? { headers: { cookie } } : {});
        expect(response.status).toBe(200);
        return response.json();
      };
      const signIn = await fetch(`${serve.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "ops@example.com", password }) });
      const cookie = signIn.headers.getSetCookie()[0]!.split(";")[0]!;
      const { scimBaseUrl: _, token: __, ...issuedSummary } = issued;
      const publicUrl = (tenantJson: { scimBaseUrl: string }) => ({ ...tenantJson, scimBaseUrl: new URL(tenantJson.scimBaseUrl).pathname });

      expect(cliJson(["tokens", "list", "--tenant", "acme"])).toEqual(await api("/tenants/acme/tokens", cookie));
      expect((await api("/tenants/acme/tokens", cookie))[0]).toMatchObject({ ...issuedSummary, revokedAt: expect.any(String) });
      // The CLI prints URLs under its configured public URL, the server under its own; the names and the rest agree.
      expect(cliJson(["tenants", "list"]).map(publicUrl)).toEqual((await api("/tenants", cookie)).map(publicUrl));
      expect(publicUrl(tenant)).toEqual(publicUrl(await api("/tenants/acme", cookie)));
      expect(cliJson(["admins", "list"])).toEqual([admin]);
      expect(cliJson(["apps", "list", "--tenant", "acme"])).toEqual(await api("/tenants/acme/apps", cookie));
      expect(await api(`/tenants/acme/apps/${app.id}`, cookie)).toEqual(app);
      expect((await api("/session", cookie)).admin).toEqual(admin);
    } finally {
      serve.child.kill("SIGTERM");
    }
    expect(await serve.exited).toBe(0);
  });
});
