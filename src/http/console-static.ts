import { existsSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where the built console is and how it is served. */
export interface ConsoleOptions {
  /** The Vite build output (index.html, favicon.svg, assets/); `builtConsoleRoot()` by default. */
  readonly root: string;
}

/**
 * The console's Content-Security-Policy: its own scripts, styles and API only — no inline scripts or
 * styles, no other origins, no framing. Inline SVG data: URLs are allowed as images (CSS icons).
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders: Readonly<Record<string, string>> = {
  "Content-Security-Policy": consoleContentSecurityPolicy,
  "X-Content-Type-Options": "nosniff",
  // Setup links carry their secret in the path: no page of the console may send it on as a referrer.
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};

const immutable = "public, max-age=31536000, immutable";

/** The console build of this installation: `dist/web` next to the package.json above this module (in src/ and in dist/src/ alike). */
export function builtConsoleRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, "package.json"))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error("muster: no package.json above the server's modules; cannot locate the console build.");
    directory = parent;
  }
  return join(directory, "dist", "web");
}

/**
 * Serves the console: `/` redirects to `/admin/`; hashed files under /admin/assets/ are cached for a
 * year; every other GET under /admin answers index.html (no-cache), so that reloading a deep link such
 * as /admin/tenants/acme/users works; the browser's router takes over from there. Every answer carries
 * the console's security headers.
 */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  app.get("/", async (_request, reply) => reply.redirect("/admin/", 302));
  await app.register(consolePlugin, { ...options, prefix: "/admin" });
}

async function consolePlugin(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const { root } = options;
  const assets = join(root, "assets");
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(securityHeaders);
  });
  await app.register(fastifyStatic, {
    root: assets,
    prefix: "/assets/",
    index: false,
    dotfiles: "ignore",
    // File names carry a content hash: a changed file is a new name, so any copy may be kept for good.
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Also called for the page and the icon sent with reply.sendFile, which set their own.
      if (path.startsWith(assets + sep)) reply.header("Cache-Control", immutable);
    },
  });

  app.get("/favicon.svg", async (_request, reply) => {
    reply.header("Cache-Control", "public, max-age=86400");
    return reply.sendFile("favicon.svg", root, { cacheControl: false });
  });
  const sendIndex = async (_request: FastifyRequest, reply: FastifyReply) => {
    // The page names the current hashed files: it must be revalidated on every visit.
    reply.header("Cache-Control", "no-cache");
    if (!existsSync(join(root, "index.html"))) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The Muster console has not been built on this installation. Run `npm run build` (or `npm ci`) in the Muster folder, then reload.\n");
    }
    return reply.sendFile("index.html", root, { cacheControl: false });
  };
  app.get("/", sendIndex);
  app.get("/*", sendIndex);
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).type("text/plain; charset=utf-8").send(`Not found: ${request.method} ${request.url.split("?")[0]}\n`),
  );
}
