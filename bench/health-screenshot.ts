import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launchBrowser } from "../tools/chromium.js";
import { freePort } from "../tools/free-port.js";
import { repoRoot } from "./repo-root.js";

/*
 * The Health page's screenshot in docs/screenshots/health.png (npm run screenshots:health): a real
 * `muster serve` on a fresh SQLite database gets a few minutes of mixed SCIM traffic on 127.0.0.1
 * (Entra-style userName lookups, creates with an occasional duplicate, PATCHes, a bad filter now and
 * then, and every two minutes a burst over one token's rate limit), then Chromium signs in and shoots
 * the page over the last 15 minutes. Arguments: minutes of traffic (default 6), output file.
 */

const minutes = Number(process.argv[2] ?? 6);
const root = repoRoot();
const output = resolve(process.argv[3] ?? join(root, "docs/screenshots/health.png"));
const dir = mkdtempSync(join(tmpdir(), "muster-health-shot-"));
const db = `sqlite:${join(dir, "muster.db")}`;
const email = "admin@example.com";
const password = "correct horse battery staple";

function muster(args: readonly string[], input?: string): string {
  const result = spawnSync(process.execPath, [join(root, "bin/muster.js"), ...args, "--db", db], { encoding: "utf8", ...(input === undefined ? {} : { input }) });
  if (result.status !== 0) throw new Error(`muster ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

function tokenOf(tenant: string, client: string): string {
  return (JSON.parse(muster(["tokens", "create", "--tenant", tenant, "--client", client, "--json"])) as { token: string }).token;
}

muster(["migrate"]);
muster(["admins", "create", email, "--password-stdin"], `${password}\n`);
for (const tenant of ["acme", "globex"]) muster(["tenants", "create", tenant]);
const tokens: Record<string, string> = { acme: tokenOf("acme", "Entra ID"), globex: tokenOf("globex", "Okta") };
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [join(root, "bin/muster.js"), "serve", "--db", db, "--host", "127.0.0.1", "--port", String(port), "--rate-limit", "3000", "--log-level", "warn"], { stdio: "inherit" });

async function scim(tenant: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { id?: string } | undefined }> {
  const response = await fetch(`${base}/scim/v2/${tenant}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[tenant]}`, ...(body ? { "content-type": "application/scim+json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { id?: string }) : undefined };
}

async function started(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await fetch(`${base}/healthz`).then((response) => response.ok, () => false)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error("muster serve did not start");
}

const userOf = (n: number) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `user${n}@example.com`, name: { givenName: "User", familyName: `N${n}` }, emails: [{ value: `user${n}@example.com`, primary: true }] });
const clients = (count: number, work: () => Promise<void>) => Promise.all(Array.from({ length: count }, work));

/** One second of traffic: four 30-second phases in every two minutes (steady, more creates, steady, a burst over globex's limit). */
async function second(state: { created: number; ids: string[] }): Promise<void> {
  const phase = Math.floor((Date.now() % 120_000) / 30_000);
  await Promise.all([
    clients(8, async () => {
      for (let i = 0; i < 6; i++) await scim("acme", "GET", `/Users?filter=${encodeURIComponent(`userName eq "user${Math.floor(Math.random() * (state.created + 1))}@example.com"`)}`);
    }),
    clients(phase === 1 ? 6 : 2, async () => {
      const response = await scim("acme", "POST", "/Users", userOf(state.created++));
      if (response.body?.id) state.ids.push(response.body.id);
      if (Math.random() < 0.2) await scim("acme", "POST", "/Users", userOf(state.created - 1));
    }),
    clients(3, async () => {
      const id = state.ids[Math.floor(Math.random() * state.ids.length)];
      if (id) await scim("acme", "PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: Math.random() < 0.5 }] });
      if (Math.random() < 0.1) await scim("globex", "GET", "/Users?filter=bogus");
    }),
    phase === 3
      ? clients(20, async () => {
          for (let i = 0; i < 10; i++) await scim("globex", "GET", "/Users?count=1");
        })
      : Promise.resolve([]),
  ]);
}

/** Signs in as the admin and shoots the Health page over the last 15 minutes. */
async function shoot(): Promise<void> {
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: base })).newPage();
    await page.goto("/admin/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: `Account ${email}` }).waitFor();
    await page.goto("/admin/health?range=15");
    await page.getByText(/^Node /).waitFor();
    await page.screenshot({ path: output, fullPage: true });
  } finally {
    await browser.close();
  }
}

try {
  await started();
  const state = { created: 0, ids: [] as string[] };
  let running = true;
  // The traffic goes on while the page is shot, so its latest values are those of a busy node.
  const traffic = (async () => {
    while (running) {
      const next = Date.now() + 1000;
      await second(state);
      const rest = next - Date.now();
      if (rest > 0) await new Promise((done) => setTimeout(done, rest));
    }
  })();
  try {
    await new Promise((done) => setTimeout(done, minutes * 60_000));
    await shoot();
    process.stderr.write(`Wrote ${output} (${state.created} users created).\n`);
  } finally {
    running = false;
    await traffic;
  }
} finally {
  server.kill("SIGTERM");
  await new Promise((done) => server.once("close", done));
  rmSync(dir, { recursive: true, force: true });
}
