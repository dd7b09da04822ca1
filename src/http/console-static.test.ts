import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtConsoleRoot, consoleContentSecurityPolicy, registerConsole } from "./console-static.js";

const indexHtml = '<!doctype html><html><head><script type="module" src="/admin/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>';

async function appServing(root: string): Promise<FastifyInstance> {
  // The router options of buildServer, which the console's routes must work with.
  const app = Fastify({ routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true } });
  await registerConsole(app, { root });
  await app.ready();
  return app;
}

describe("console static files", () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muster-console-"));
    const root = join(dir, "web");
    mkdirSync(join(root, "assets"), { recursive: true });
    writeFileSync(join(root, "index.html"), indexHtml);
    writeFileSync(join(root, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    writeFileSync(join(root, "assets", "app-1a2b3c.js"), "console.log('console');");
    writeFileSync(join(dir, "secret.txt"), "outside the console");
    app = await appServing(root);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("redirects / to the console", async () => {
    const response = await app.inject({ method: "GET", url: "/" });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe("/admin/");
  });

  it.each(["/admin", "/admin/"])("answers %s with index.html, revalidated on every visit", async (url) => {
    const response = await app.inject({ method: "GET", url });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.body).toBe(indexHtml);
  });

  it.each(["/admin/tenants/acme/users", "/admin/tenants/acme/users/2819c223-7f76-453a-919d-413861904646", "/admin/setup/abc?x=1"])(
    "answers the deep link %s with index.html so that reloading works",
    async (url) => {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(indexHtml);
    },
  );

  it("sends the strict Content-Security-Policy and the other security headers with the page", async () => {
    const response = await app.inject({ method: "GET", url: "/admin/tenants" });
    expect(response.headers["content-security-policy"]).toBe(consoleContentSecurityPolicy);
    expect(consoleContentSecurityPolicy).toContain("script-src 'self'");
    expect(consoleContentSecurityPolicy).not.toContain("unsafe-inline");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["referrer-policy"]).toBe("no-referrer");
    expect(response.headers["x-frame-options"]).toBe("DENY");
  });

  it("serves hashed assets with a year-long immutable cache", async () => {
    const response = await app.inject({ method: "GET", url: "/admin/assets/app-1a2b3c.js" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/javascript/);
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(response.body).toBe("console.log('console');");
  });

  it("answers a missing asset with 404, never with the page", async () => {
    const response = await app.inject({ method: "GET", url: "/admin/assets/app-000000.js" });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain("<html");
  });

  it.each(["/admin/assets/../../secret.txt", "/admin/assets/%2e%2e/%2e%2e/secret.txt", "/admin/assets/..%2f..%2fsecret.txt"])(
    "does not serve files outside the build for %s",
    async (url) => {
      const response = await app.inject({ method: "GET", url });
      expect(response.body).not.toContain("outside the console");
    },
  );

  it("serves the icon with a day's cache", async () => {
    const response = await app.inject({ method: "GET", url: "/admin/favicon.svg" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("public, max-age=86400");
  });

  it("answers HEAD like GET, without a body", async () => {
    const response = await app.inject({ method: "HEAD", url: "/admin/tenants" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe("");
  });

  it("answers other methods under /admin with 404", async () => {
    const response = await app.inject({ method: "POST", url: "/admin/tenants", payload: {} });
    expect(response.statusCode).toBe(404);
  });

  it("says how to build the console when it has not been built", async () => {
    const bare = await appServing(join(dir, "not-built"));
    const response = await bare.inject({ method: "GET", url: "/admin/tenants" });
    await bare.close();
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain("npm run build");
  });
});

describe("the built console", () => {
  const root = builtConsoleRoot();
  const page = () => {
    const path = join(root, "index.html");
    if (!existsSync(path)) throw new Error(`The console is not built at ${root}: run \`npm run build\` first (npm test does).`);
    return readFileSync(path, "utf8");
  };

  it("is found in dist/web of this checkout", () => {
    expect(root.endsWith(join("dist", "web"))).toBe(true);
  });

  it("has no inline script or style, which the Content-Security-Policy would block", () => {
    const html = page();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/admin\/assets\/[^"]+\.js"/);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it("refers only to files the build contains", () => {
    const urls = [...page().matchAll(/(?:src|href)="(\/admin\/[^"]+)"/g)].map((match) => match[1]!);
    expect(urls.length).toBeGreaterThan(1);
    for (const url of urls) expect(existsSync(join(root, url.slice("/admin/".length))), url).toBe(true);
  });
});
