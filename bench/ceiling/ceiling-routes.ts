import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { foldCase } from "../../src/scim/fold.js";
import { listJson, resourceJson } from "./ceiling-documents.js";
import type { CeilingFilter, CeilingPage, CeilingRelation, CeilingRow, CeilingStorage, CeilingUserPatch, CeilingUserWrite } from "./ceiling-storage.js";

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

/** The list filter of a query string, folded as Muster folds it; undefined when the ceiling does not know it. */
function listFilter(filter: string): CeilingFilter | undefined {
  let match: RegExpExecArray | null;
  if ((match = filters.workEmail.exec(filter))) return { kind: "workEmail", email: foldCase(literal(match)) };
  if ((match = filters.familyName.exec(filter))) return { kind: "familyNameStartsWith", prefix: foldCase(literal(match)) };
  if ((match = filters.userNameContains.exec(filter))) return { kind: "userNameContains", needle: foldCase(literal(match)) };
  return undefined;
}

function sendScim(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).header("content-type", "application/scim+json; charset=utf-8").send(json);
}

function userWrite(attributes: Body): CeilingUserWrite {
  const userName = String(attributes.userName);
  return { userName, userNameKey: foldCase(userName), externalId: attributes.externalId ?? null, active: typeof attributes.active === "boolean" ? attributes.active : null, attributes: JSON.stringify(attributes) };
}

const notKnown = `{"status":"400","detail":"the ceiling does not know this filter"}`;

/** The ceiling's request handling: parse just enough of each bench request, run its storage work, write the document as text. */
class CeilingRoutes {
  private readonly storage: CeilingStorage;

  constructor(storage: CeilingStorage) {
    this.storage = storage;
  }

  private base(request: FastifyRequest): string {
    return `http://${request.headers.host ?? "localhost"}/scim/v2/${(request.params as { tenant: string }).tenant}`;
  }

  private async usersJson(rows: readonly CeilingRow[], base: string): Promise<string[]> {
    if (rows.length === 0) return [];
    const groups = new Map<string, CeilingRelation[]>();
    for (const group of await this.storage.groupsOfUsers(rows.map((row) => row.id))) {
      const list = groups.get(group.owner ?? "") ?? [];
      list.push(group);
      groups.set(group.owner ?? "", list);
    }
    return rows.map((row) => resourceJson("User", row, base, groups.get(row.id) ?? []));
  }

  async listUsers(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const query = request.query as Query;
    const base = this.base(request);
    const count = Math.min(1000, Number(query.count ?? 100));
    const filter = query.filter ?? "";
    const byName = filters.userName.exec(filter);
    if (byName) {
      const row = await this.storage.userByName(foldCase(literal(byName)));
      return sendScim(reply, 200, listJson(row ? 1 : 0, await this.usersJson(row ? [row] : [], base), { startIndex: 1 }));
    }
    const known = listFilter(filter);
    if (known) {
      const page: CeilingPage = await this.storage.filteredUsers(known, count);
      return sendScim(reply, 200, listJson(page.total, await this.usersJson(page.rows, base), { startIndex: 1 }));
    }
    if (filter !== "") return sendScim(reply, 400, notKnown);

    const total = await this.storage.countUsers();
    if (query.cursor !== undefined) {
      const rows = await this.storage.usersAfter(query.cursor, count + 1);
      const shown = rows.slice(0, count);
      const nextCursor = rows.length > count ? shown[shown.length - 1]?.id : undefined;
      return sendScim(reply, 200, listJson(total, await this.usersJson(shown, base), nextCursor === undefined ? {} : { nextCursor }));
    }
    const startIndex = Math.max(1, Number(query.startIndex ?? 1));
    return sendScim(reply, 200, listJson(total, await this.usersJson(await this.storage.usersByOffset(count, startIndex - 1), base), { startIndex }));
  }

  async getUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const row = await this.storage.userById((request.params as { id: string }).id);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    return sendScim(reply, 200, (await this.usersJson([row], this.base(request)))[0]!);
  }

  async createUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { schemas: _schemas, ...attributes } = request.body as Body;
    const id = randomUUID();
    const now = new Date().toISOString();
    const user = userWrite(attributes);
    await this.storage.insertUser(id, now, user);
    const row: CeilingRow = { id, created_at: now, last_modified_at: now, version: 1, attributes: user.attributes };
    return sendScim(reply, 201, resourceJson("User", row, this.base(request), []));
  }

  async patchUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const values = ((request.body as Body).Operations as { value: unknown }[]).map((operation) => operation.value);
    const row = await this.storage.patchUser((request.params as { id: string }).id, new Date().toISOString(), [values[0], values[1], values[2]] as CeilingUserPatch);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    return sendScim(reply, 200, resourceJson("User", row, this.base(request), undefined));
  }

  async replaceUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { schemas: _schemas, ...attributes } = request.body as Body;
    const row = await this.storage.replaceUser((request.params as { id: string }).id, new Date().toISOString(), userWrite(attributes));
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    return sendScim(reply, 200, resourceJson("User", row, this.base(request), undefined));
  }

  async listGroups(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const match = filters.displayName.exec((request.query as Query).filter ?? "");
    if (!match) return sendScim(reply, 400, notKnown);
    const row = await this.storage.groupByName(foldCase(literal(match)));
    return sendScim(reply, 200, listJson(row ? 1 : 0, row ? [resourceJson("Group", row, this.base(request), undefined)] : [], { startIndex: 1 }));
  }

  async getGroup(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const id = (request.params as { id: string }).id;
    const row = await this.storage.groupById(id);
    if (!row) return sendScim(reply, 404, `{"status":"404"}`);
    const withMembers = !((request.query as Query).excludedAttributes ?? "").includes("members");
    const members = withMembers ? await this.storage.membersOfGroup(id) : undefined;
    return sendScim(reply, 200, resourceJson("Group", row, this.base(request), members));
  }

  async createGroup(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { schemas: _schemas, ...attributes } = request.body as Body;
    const id = randomUUID();
    const now = new Date().toISOString();
    const displayName = String(attributes.displayName);
    const json = JSON.stringify(attributes);
    await this.storage.insertGroup(id, now, { displayName, displayNameKey: foldCase(displayName), externalId: attributes.externalId ?? null, attributes: json });
    const row: CeilingRow = { id, created_at: now, last_modified_at: now, version: 1, attributes: json };
    return sendScim(reply, 201, resourceJson("Group", row, this.base(request), []));
  }

  /** Member adds and removes as rows plus the group's version bump, in one transaction. */
  async patchGroup(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const operations = (request.body as Body).Operations as { op: string; value: { value: string }[] }[];
    const changes = operations.flatMap((operation) => operation.value.map((member) => ({ add: operation.op.toLowerCase() === "add", memberId: member.value })));
    await this.storage.changeMembers((request.params as { id: string }).id, new Date().toISOString(), changes);
    return reply.code(204).send();
  }
}

/** Registers the ceiling's SCIM routes (only the request shapes the bench sends) and /healthz on `app`. */
export function registerCeilingRoutes(app: FastifyInstance, storage: CeilingStorage): void {
  const routes = new CeilingRoutes(storage);
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
}
