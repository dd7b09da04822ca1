import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import Fastify, { type FastifyInstance } from "fastify";
import { openPostgresCeilingStorage } from "./ceiling/ceiling-postgres.js";
import { registerCeilingRoutes } from "./ceiling/ceiling-routes.js";
import { openSqliteCeilingStorage } from "./ceiling/ceiling-sqlite.js";
import { ceilingPoolSize, type CeilingStorage } from "./ceiling/ceiling-storage.js";

/*
 * The ceiling: what this machine can serve from the same database when a request does nothing but its
 * storage work. Fastify with better-sqlite3 (Muster's durability settings: WAL, synchronous=FULL) or a
 * pg pool of Muster's size; no authentication, validation, projection, activity log or abstraction
 * layers. It understands only the request shapes the bench sends.
 */

/** A running ceiling: the Fastify app and its database. */
export interface CeilingServer {
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** True for a postgres:// or postgresql:// URL; anything else is a SQLite file path. */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database.trim());
}

/** Builds the ceiling for one tenant of `database`: a PostgreSQL URL, or the path of a SQLite file. */
export async function buildCeilingServer(database: string, tenantSlug: string, poolSize = ceilingPoolSize): Promise<CeilingServer> {
  const storage: CeilingStorage = isPostgresUrl(database) ? await openPostgresCeilingStorage(database, tenantSlug, poolSize) : openSqliteCeilingStorage(database, tenantSlug);
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.addContentTypeParser("application/scim+json", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));
  registerCeilingRoutes(app, storage);
  return {
    app,
    async close() {
      await app.close();
      await storage.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { db: { type: "string" }, port: { type: "string", default: "0" }, host: { type: "string", default: "127.0.0.1" }, tenant: { type: "string", default: "bench" }, pool: { type: "string", default: String(ceilingPoolSize) } } });
  if (!values.db) throw new Error("usage: ceiling-server --db FILE|postgres://… [--port P] [--host H] [--tenant SLUG] [--pool N]");
  const server = await buildCeilingServer(values.db, values.tenant, Math.max(1, Number(values.pool)));
  const address = await server.app.listen({ host: values.host, port: Number(values.port) });
  process.stderr.write(`ceiling listening on ${address}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    process.stderr.write(`ceiling-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
