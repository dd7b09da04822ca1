import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { foldCase } from "../src/scim/fold.js";
import { prefixSuccessor } from "../src/store/sql/text-range.js";
import { listJson, resourceJson } from "./ceiling/ceiling-documents.js";
import { prepareCeilingStatements, type CeilingRelation, type CeilingRow, type CeilingStatements } from "./ceiling/ceiling-statements.js";

/*
 * The ceiling: what this machine can serve from the same SQLite file when a request does nothing but
 * its storage work. Fastify and better-sqlite3 with Muster's durability settings (WAL, synchronous=FULL),
 * no authentication, validation, projection, activity log or abstraction layers. It understands only
 * the request shapes the bench sends.
 */

/** A running ceiling: the Fastify app and its database. */
export interface CeilingServer {
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

type Query = Record<string, string | undefined>;
type Body = Record<string, any>;

const filters = {
  userName: /^userName eq "(.*)"$/,
  workEmail: /^emails\[type eq "work"\]\.value eq "(.*)"$/,
  familyName: /^name\.familyName sw "(.*)"$/,
  userNameContains: /^userName co "(.*)"$/,
  displayName: /^displayName eq "(.*)"$/,
};

function literal(match: RegExpExecArray): string {
  return JSON.parse(`"${match[1] ?? ""}"`) as string;
}

function sendScim(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).header("content-type", "application/scim+json; charset=utf-8").send(json);
}

class CeilingRoutes {
  private readonly sql: CeilingStatements;
  private readonly tenantId: string;
  private readonly db: BetterSqlite3.Database;

  constructor(db: BetterSqlite3.Database, sql: CeilingStatements, tenantId: string) {
    this.db = db;
    this.sql = sql;
    this.tenantId = tenantId;
  }

  private base(request: FastifyRequest): string {
    return `http://${request.headers.host ?? "localhost"}/scim/v2/${(request.params as { tenant: string }).tenant}`;
  }

  private usersJson(rows: readonly CeilingRow[], base: string): string[] {
    if (rows.length === 0) return [];
    const groups = new Map<string, CeilingRelation[]>();
    for (const group of this.sql.groupsOfUsers.all(this.tenantId, JSON.stringify(rows.map((row) => row.id)))) {
      const list = groups.get(group.owner ?? "") ?? [];
      list.push(group);
      groups.set(group.owner ?? "", list);
    }
    return rows.map((row) => resourceJson("User", row, base, groups.get(row.id) ?? []));
  }

  private filteredPage(statements: CeilingStatements["workEmail"], args: unknown[], count: number): { total: number; rows: CeilingRow[] } {
    const rows = statements.rows.all(this.tenantId, ...args, count);
    const total = rows.length < count ? rows.length : statements.count.get(this.tenantId, ...args)?.total ?? 0;
    return { total, rows };
  }

  listUsers(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const query = request.query as Query;
    const base = this.base(request);
    const count = Math.min(1000, Number(query.count ?? 100));
    const filter = query.filter ?? "";
    let match: RegExpExecArray | null;
    if ((match = filters.userName.exec(filter))) {
      const row = this.sql.userByName.get(this.tenantId, foldCase(literal(match)));
      return sendScim(reply, 200, listJson(row ? 1 : 0, this.usersJson(row ? [row] : [], base), { startIndex: 1 }));
    }
    let page: { total: number; rows: CeilingRow[] } | undefined;
    if ((match = filters.workEmail.exec(filter))) page = this.filteredPage(this.sql.workEmail, [this.tenantId, foldCase(literal(match))], count);
    else if ((match = filters.familyName.exec(filter))) {
      const prefix = foldCase(literal(match));
      page = this.filteredPage(this.sql.familyNameStartsWith, [prefix, prefixSuccessor(prefix) ?? "\u{10ffff}"], count);
    } else if ((match = filters.userNameContains.exec(filter))) {
      const needle = foldCase(literal(match));
      page = this.filteredPage(this.sql.userNameContains, [`"${needle.replaceAll('"', '""')}"`, needle], count);
    }
    if (page) return sendScim(reply, 200, listJson(page.total, this.usersJson(page.rows, base), { startIndex: 1 }));
    if (filter !== "") return sendScim(reply, 400, `{"status":"400","detail":"the ceiling does not know this filter"}`);

    const total = this.sql.countAll.get(this.tenantId)?.total ?? 0;
    if (query.cursor !== undefined) {
      const rows = this.sql.allAfter.all(this.tenantId, query.cursor, count + 1);
      const more = rows.length > count;
      const shown = rows.slice(0, count);
      const nextCursor = more ? shown[shown.length - 1]?.id : undefined;
      return sendScim(reply, 200, listJson(total, this.usersJson(shown, base), nextCursor === undefined ? {} : { nextCursor }));
    }
    const startIndex = Math.max(1, Number(query.startIndex ?? 1));
    return sendScim(reply, 200, listJson(total, this.usersJson(this.sql.allByOffset.all(this.tenantId, count, startIndex - 1), base), { startIndex }));
  }

  getUser(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const row = this.sql.userById.get(this.tenantId, (request.params as { id: string }).id);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    return sendScim(reply, 200, this.usersJson([row], this.base(request))[0]!);
  }

  createUser(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const { schemas: _schemas, ...attributes } = request.body as Body;
    const id = randomUUID();
    const now = new Date().toISOString();
    const userName = String(attributes.userName);
    const active = typeof attributes.active === "boolean" ? Number(attributes.active) : null;
    this.sql.insertUser.run(this.tenantId, id, userName, foldCase(userName), attributes.externalId ?? null, active, now, now, JSON.stringify(attributes));
    const row: CeilingRow = { id, created_at: now, last_modified_at: now, version: 1, attributes: JSON.stringify(attributes) };
    return sendScim(reply, 201, resourceJson("User", row, this.base(request), []));
  }

  patchUser(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const values = ((request.body as Body).Operations as { value: unknown }[]).map((operation) => operation.value);
    const row = this.sql.patchUser.get(values[0], values[1], values[2], new Date().toISOString(), this.tenantId, (request.params as { id: string }).id);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    return sendScim(reply, 200, resourceJson("User", row, this.base(request), undefined));
  }

  replaceUser(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const { schemas: _schemas, ...attributes } = request.body as Body;
    const userName = String(attributes.userName);
    const active = typeof attributes.active === "boolean" ? Number(attributes.active) : null;
    const id = (request.params as { id: string }).id;
    const row = this.sql.replaceUser.get(userName, foldCase(userName), attributes.externalId ?? null, active, JSON.stringify(attributes), new Date().toISOString(), this.tenantId, id);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    return sendScim(reply, 200, resourceJson("User", row, this.base(request), undefined));
  }

  listGroups(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const match = filters.displayName.exec((request.query as Query).filter ?? "");
    if (!match) return sendScim(reply, 400, `{"status":"400","detail":"the ceiling does not know this filter"}`);
    const row = this.sql.groupByName.get(this.tenantId, foldCase(literal(match)));
    return sendScim(reply, 200, listJson(row ? 1 : 0, row ? [resourceJson("Group", row, this.base(request), undefined)] : [], { startIndex: 1 }));
  }

  getGroup(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const id = (request.params as { id: string }).id;
    const row = this.sql.groupById.get(this.tenantId, id);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    const withMembers = !((request.query as Query).excludedAttributes ?? "").includes("members");
    const members = withMembers ? this.sql.membersOfGroup.all(this.tenantId, id) : undefined;
    return sendScim(reply, 200, resourceJson("Group", row, this.base(request), members));
  }

  createGroup(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const { schemas: _schemas, ...attributes } = request.body as Body;
    const id = randomUUID();
    const now = new Date().toISOString();
    const displayName = String(attributes.displayName);
    this.sql.insertGroup.run(this.tenantId, id, displayName, foldCase(displayName), attributes.externalId ?? null, now, now, JSON.stringify(attributes));
    const row: CeilingRow = { id, created_at: now, last_modified_at: now, version: 1, attributes: JSON.stringify(attributes) };
    return sendScim(reply, 201, resourceJson("Group", row, this.base(request), []));
  }

  /** Member adds and removes as rows plus the group's version bump, in one transaction. */
  patchGroup(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const id = (request.params as { id: string }).id;
    const operations = (request.body as Body).Operations as { op: string; value: { value: string }[] }[];
    this.db
      .transaction(() => {
        for (const operation of operations) {
          const statement = operation.op.toLowerCase() === "add" ? this.sql.addMember : this.sql.removeMember;
          for (const member of operation.value) statement.run(this.tenantId, id, member.value);
        }
        this.sql.touchGroup.run(new Date().toISOString(), this.tenantId, id);
      })
      .immediate();
    return reply.code(204).send();
  }
}

/** Opens the database as Muster does (WAL, synchronous=FULL) and builds the ceiling's routes for one tenant. */
export async function buildCeilingServer(file: string, tenantSlug: string): Promise<CeilingServer> {
  const db = new BetterSqlite3(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const sql = prepareCeilingStatements(db);
  const tenant = sql.tenantBySlug.get(tenantSlug);
  if (!tenant) throw new Error(`the database has no tenant "${tenantSlug}"`);
  const routes = new CeilingRoutes(db, sql, tenant.id);
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.addContentTypeParser("application/scim+json", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));
  const prefix = "/scim/v2/:tenant";
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get(`${prefix}/Users`, (request, reply) => routes.listUsers(request, reply));
  app.post(`${prefix}/Users`, (request, reply) => routes.createUser(request, reply));
  app.get(`${prefix}/Users/:id`, (request, reply) => routes.getUser(request, reply));
  app.patch(`${prefix}/Users/:id`, (request, reply) => routes.patchUser(request, reply));
  app.put(`${prefix}/Users/:id`, (request, reply) => routes.replaceUser(request, reply));
  app.get(`${prefix}/Groups`, (request, reply) => routes.listGroups(request, reply));
  app.post(`${prefix}/Groups`, (request, reply) => routes.createGroup(request, reply));
  app.get(`${prefix}/Groups/:id`, (request, reply) => routes.getGroup(request, reply));
  app.patch(`${prefix}/Groups/:id`, (request, reply) => routes.patchGroup(request, reply));
  return {
    app,
    async close() {
      await app.close();
      db.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { db: { type: "string" }, port: { type: "string", default: "0" }, host: { type: "string", default: "127.0.0.1" }, tenant: { type: "string", default: "bench" } } });
  if (!values.db) throw new Error("usage: ceiling-server --db FILE [--port P] [--host H] [--tenant SLUG]");
  const server = await buildCeilingServer(values.db, values.tenant);
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
