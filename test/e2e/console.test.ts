import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServe, type ServeProcess } from "../cli/muster-process.js";
import { launchBrowser } from "../../tools/chromium.js";

/*
 * The admin's whole journey in real Chromium against a real `muster serve` on a fresh database:
 * first-admin setup link, password change, tenant, token (copied from the page), SCIM provisioning
 * with that token, Users and Groups (search, paging, detail), revocation, Activity showing the 401, and
 * the Audit page listing every admin action of the journey, filtered, opened and exported.
 * Screenshots of every page go to $MUSTER_SCREENSHOTS (npm run screenshots writes docs/screenshots/).
 */

const dir = mkdtempSync(join(tmpdir(), "muster-e2e-"));
const screenshots = process.env.MUSTER_SCREENSHOTS ?? join(dir, "screenshots");
const email = "admin@example.com";
const firstPassword = "first correct horse battery";
const secondPassword = "second correct horse battery";
let serve: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let setupLink: string;
let scimToken = "";

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  serve = await startServe(["--db", `sqlite:${join(dir, "muster.db")}`, "--log-level", "warn"]);
  setupLink = await waitForSetupLink(serve);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: serve.url });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: serve.url });
  page = await context.newPage();
  // Fail a step with the locator it waited for, well before the test's own timeout.
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  serve?.child.kill("SIGTERM");
  await serve?.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function waitForSetupLink(process: ServeProcess): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const match = /(http:\/\/\S+\/admin\/setup\/\S+)/.exec(process.stderr());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`serve printed no setup link:\n${process.stderr()}`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

async function scim(method: string, path: string, body?: unknown, token = scimToken): Promise<{ status: number; body: any }> {
  const response = await fetch(`${serve.url}/scim/v2/acme${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/scim+json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const tab = (name: string) => page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name });

describe("the admin console in Chromium", () => {
  it("sends a visitor without a session to sign in", async () => {
    await page.goto("/admin");
    await expect.poll(() => page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
  });

  it("creates the first admin through the setup link serve printed", async () => {
    await page.goto(setupLink);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(firstPassword);
    await page.getByLabel("Confirm password").fill(firstPassword);
    await shot("setup");
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await page.getByRole("button", { name: "Create tenant" }).waitFor();
    expect(page.url()).toContain("/admin");
  });

  it("changes the password, signs out, and signs in with the new one", async () => {
    await page.getByRole("button", { name: `Account ${email}` }).click();
    await page.getByRole("menuitem", { name: "Change password" }).click();
    await page.getByLabel("Current password").fill(firstPassword);
    await page.getByLabel("New password", { exact: true }).fill(secondPassword);
    await page.getByLabel("Confirm new password").fill(secondPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/password (was|has been) changed/i).waitFor();
    await page.getByRole("button", { name: `Account ${email}` }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(firstPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: /password/i }).first().waitFor();
    await shot("sign-in-error");
    await page.getByLabel("Password", { exact: true }).fill(secondPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signing in returns to the page the sign-in came from, which may be Change password: go to Tenants.
    await page.getByRole("button", { name: `Account ${email}` }).waitFor();
    await page.getByRole("link", { name: "Tenants" }).click();
    await page.getByRole("button", { name: "Create tenant" }).waitFor();
  });

  it("creates a tenant and opens its SCIM Integration page", async () => {
    await page.getByRole("button", { name: "Create tenant" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Acme Corp");
    await dialog.getByLabel("Slug").fill("acme");
    await dialog.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("button", { name: "Add token" }).waitFor();
    expect(await page.getByRole("textbox", { name: "SCIM base URL" }).inputValue()).toBe(`${serve.url}/scim/v2/acme`);
    await page.goto("/admin");
    await page.getByRole("cell", { name: /acme/ }).first().waitFor();
    await shot("tenants");
  });

  it("adds a token, shows it once and copies it to the clipboard", async () => {
    await page.getByRole("link", { name: "Acme Corp" }).first().click();
    await tab("SCIM Integration").click();
    await page.getByRole("button", { name: "Add token" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Client name").fill("Azure AD SCIM");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const field = dialog.getByLabel("Token for Azure AD SCIM");
    await field.waitFor();
    const shown = await field.inputValue();
    expect(shown).toMatch(/^mst_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    await shot("token-shown");
    await dialog.getByRole("button", { name: "Copy token" }).click();
    await expect.poll(() => page.evaluate("navigator.clipboard.readText()")).toBe(shown);
    scimToken = shown;
    await dialog.getByRole("button", { name: "Done" }).click();
    const row = page.getByRole("row", { name: /Azure AD SCIM/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(shown.slice(-4));
    expect(await row.textContent()).not.toContain(shown.slice(4, 28));
  });

  it("provisions users and a group over SCIM with that token", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 60; i++) {
      const n = String(i).padStart(2, "0");
      const created = await scim("POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: `user${n}@acme.example`,
        name: { givenName: "User", familyName: `Number ${n}` },
        emails: [{ value: `user${n}@acme.example`, type: "work", primary: true }],
        active: i % 10 !== 0,
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const group = await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Engineering", members: ids.slice(0, 12).map((value) => ({ value })) });
    expect(group.status).toBe(201);
    expect((await scim("POST", "/Users", { userName: "user01@acme.example" })).status).toBe(409);
  });

  it("shows the token's last use and the directory counts", async () => {
    // Last-used times are written about once a second, without a write per request.
    const row = page.getByRole("row", { name: /Azure AD SCIM/ });
    await expect
      .poll(async () => {
        await page.reload();
        return (await row.textContent()) ?? "";
      }, { timeout: 10_000 })
      .not.toContain("Never");
    await shot("scim-integration");
    await tab("Overview").click();
    await page.getByText("60", { exact: true }).first().waitFor();
    // Activity is written about once a second; wait until the Overview counts this test's requests.
    const requests = page.getByText("SCIM requests, last 24 h").locator("..");
    await expect
      .poll(async () => {
        await page.reload();
        return Number(((await requests.textContent()) ?? "").replace(/\D+/g, " ").trim().split(" ").pop());
      }, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(62);
    await shot("overview");
  });

  it("lists users 50 at a time, pages, searches and opens a user", async () => {
    await tab("Users").click();
    await page.getByText("1–50 of 60").waitFor();
    await shot("users");
    await page.getByRole("navigation", { name: "Users pages" }).getByRole("button", { name: "Next" }).click();
    await page.getByText("51–60 of 60").waitFor();
    await page.getByLabel("Search users").fill("user07");
    await page.getByText("1–1 of 1").waitFor();
    await page.getByRole("link", { name: "user07@acme.example" }).first().click();
    await page.getByText("Number 07").first().waitFor();
    await page.getByRole("link", { name: "Engineering" }).waitFor();
    await shot("user-detail");
  });

  it("lists groups with member counts and pages members", async () => {
    await tab("Groups").click();
    const row = page.getByRole("row", { name: /Engineering/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("12");
    await shot("groups");
    await row.getByRole("link", { name: "Engineering" }).click();
    await page.getByRole("link", { name: /user01@acme\.example/ }).first().waitFor();
    await shot("group-detail");
  });

  it("renders the Entra ID guide in the console", async () => {
    await tab("SCIM Integration").click();
    await page.getByRole("link", { name: "View instructions for Microsoft Entra ID" }).click();
    await page.getByRole("heading", { name: /Microsoft Entra ID/ }).first().waitFor();
    await shot("guide-entra-id");
    await page.goBack();
  });

  it("revokes the token: SCIM answers 401 and Activity shows it under the client's name", async () => {
    await tab("SCIM Integration").click();
    await page.getByRole("button", { name: "Revoke Azure AD SCIM" }).click();
    await shot("revoke-dialog");
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await page.getByRole("row", { name: /Azure AD SCIM/ }).getByText("Revoked").waitFor();
    const refused = await scim("GET", "/Users");
    expect(refused.status).toBe(401);
    expect(refused.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);

    await tab("Activity").click();
    await page.getByLabel("Outcome").selectOption("failure");
    const unauthorized = page.getByRole("row", { name: /401/ }).filter({ hasText: "Azure AD SCIM" });
    await expect.poll(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      return unauthorized.count();
    }, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole("row", { name: /409/ }).count()).toBeGreaterThan(0);
    await shot("activity");
  });

  it("lists every admin action of this journey on the Audit page, with its outcome, and exports it", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    const table = page.locator("table.table-audit");
    const filters = page.getByRole("group", { name: "Filters" });
    const rows = async () =>
      (await table.locator("tbody tr:not(.audit-details)").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll(":scope > td")].map((cell) => (cell.querySelector(".badge, .cell-sub") ?? cell).textContent?.trim() ?? "")))).map((cells) => ({
        actor: cells[1],
        address: cells[2],
        action: cells[3],
        target: cells[4],
        tenant: cells[5],
        outcome: cells[6],
      }));
    await page.getByText(/^1–\d+ of \d+$/).waitFor();
    const admin = email;
    const journey = [
      { actor: admin, action: "scim_token.revoked", target: "Token Azure AD SCIM", tenant: "acme", outcome: "Success" },
      { actor: admin, action: "scim_token.created", target: "Token Azure AD SCIM", tenant: "acme", outcome: "Success" },
      { actor: admin, action: "tenant.created", target: "Tenant acme", tenant: "acme", outcome: "Success" },
      { actor: admin, action: "session.sign_in", target: `Admin ${admin}`, tenant: "—", outcome: "Success" },
      { actor: "Not signed in", action: "session.sign_in", target: `Admin ${admin}`, tenant: "—", outcome: "Failure" },
      { actor: admin, action: "session.sign_out", target: `Admin ${admin}`, tenant: "—", outcome: "Success" },
      { actor: admin, action: "admin.password_changed", target: `Admin ${admin}`, tenant: "—", outcome: "Success" },
      { actor: admin, action: "session.sign_in", target: `Admin ${admin}`, tenant: "—", outcome: "Success" },
      { actor: admin, action: "admin.created", target: `Admin ${admin}`, tenant: "—", outcome: "Success" },
      { actor: "Muster (first start)", action: "admin.setup_link_created", target: "Setup link for first admin", tenant: "—", outcome: "Success" },
      { actor: "Muster (first start)", action: "tenant.created", target: "Tenant default", tenant: "default", outcome: "Success" },
    ];
    const listed = await rows();
    expect(listed.map(({ address: _address, ...rest }) => rest)).toEqual(journey);
    expect(listed.filter((row) => row.actor !== "Muster (first start)").every((row) => row.address === "127.0.0.1")).toBe(true);
    await shot("audit");

    await filters.getByLabel("Tenant", { exact: true }).selectOption("acme");
    await expect.poll(async () => (await rows()).map((row) => row.action)).toEqual(["scim_token.revoked", "scim_token.created", "tenant.created"]);
    await filters.getByLabel("From").fill("2999-01-01");
    await page.getByText("No events match these filters").waitFor();
    await filters.getByLabel("From").fill("");
    await filters.getByLabel("Tenant", { exact: true }).selectOption("");

    // The failed sign-in opens to say why; the browser was told only that the email or password was wrong.
    await filters.getByLabel("Outcome").selectOption("failure");
    await expect.poll(async () => (await rows()).map((row) => row.action)).toEqual(["session.sign_in"]);
    await table.getByRole("button", { name: /^Details of Sign in/ }).click();
    await table.getByText("Failure: wrong password").waitFor();
    await table.getByText(/HeadlessChrome|Chrome/).first().waitFor();

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^muster-audit-\d{8}T\d{6}Z\.csv$/);
    const csv = await new Response(await file.createReadStream()).text();
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",session.sign_in,admin,");
    expect(lines[1]).toContain(",failure,wrong password,");
    expect(csv).not.toContain(firstPassword);

    await filters.getByLabel("Outcome").selectOption("");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(async () => (await rows())[0]).toMatchObject({ actor: admin, action: "audit.exported", outcome: "Success" });
  });

  it("charts this node's requests, SCIM latency and errors on the Health page", async () => {
    const fresh = await createTokenThroughApi();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Health" }).click();
    await page.getByRole("heading", { name: "Health" }).waitFor();
    await page.getByText(/Node .+, process \d+, SQLite/).waitFor();
    await page.getByLabel("Time range").selectOption("15");
    const requests = page.getByRole("img", { name: /^Requests per second/ });
    const latency = page.getByRole("img", { name: /^SCIM latency/ });
    // The server samples its metrics every 10 s: keep a few SCIM clients busy until a sample shows them.
    let served = 0;
    await expect
      .poll(
        async () => {
          for (let round = 0; round < 10; round++) {
            const lookups = await Promise.all([0, 1, 2, 3].map((n) => scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "user0${n + 1}@acme.example"`)}`, undefined, fresh)));
            served += lookups.filter((lookup) => lookup.status === 200).length;
          }
          await page.reload();
          return `${await requests.getAttribute("aria-label")} | ${await latency.getAttribute("aria-label")}`;
        },
        { timeout: 40_000, interval: 500 },
      )
      .toMatch(/2xx: latest [^,]+, peak [0-9.]*[1-9][^|]*\| .*p50: latest [^,]+, peak [0-9.]*[1-9]/);
    expect(served).toBeGreaterThan(0);
    const errors = await page.getByRole("img", { name: /^SCIM errors per second/ }).getAttribute("aria-label");
    expect(errors).toMatch(/Client \(4xx\): latest [^,]+, peak [0-9.]*[1-9]/);
    expect(await page.locator(".chart-line").count()).toBeGreaterThanOrEqual(15);
    // docs/screenshots/health.png needs minutes of traffic: npm run screenshots:health makes it.
  }, 60_000);
});

/** A fresh SCIM token of tenant acme, made through the admin API with the browser's session (the first one was revoked). */
async function createTokenThroughApi(): Promise<string> {
  const created = await page.evaluate(async () => {
    const session = (await (await fetch("/api/session")).json()) as { csrfToken: string };
    const response = await fetch("/api/tenants/acme/tokens", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken }, body: JSON.stringify({ clientName: "Health check" }) });
    return response.json();
  });
  return (created as { token: string }).token;
}
