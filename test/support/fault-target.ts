import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { parseAttributeList } from "../../src/scim/filter/parse-path.js";
import { countChanges, DirectoryError, FaultTargetDirectory, type Kind, type PatchInput, type Resource } from "./fault-target-directory.js";

/**
 * A fault-injecting SCIM 2.0 target for tests of outbound provisioning: an in-memory Users/Groups
 * directory on 127.0.0.1 (random port) behind a bearer token, whose misbehaviour is set with `setFaults`
 * at any time. Every request is logged (without its Authorization header) for assertions.
 *
 * ```ts
 * const target = await startFaultTarget();
 * const client = new ScimTargetClient({ baseUrl: target.baseUrl, token: target.token, allowPrivateAddresses: true });
 * target.setFaults({ fail: { status: 429, retryAfter: 1, times: 1 } });   // the next request answers 429, Retry-After: 1
 * target.setFaults({ maxPatchChanges: 100, patchLimitAnswer: "payloadTooLarge" });
 * target.requests();   // [{ method, path, query, body, headers, status }]
 * await target.close();
 * ```
 */
export interface FaultTarget {
  /** The SCIM base URL, e.g. `http://127.0.0.1:40123/scim/v2`. */
  readonly baseUrl: string;
  /** The bearer token the target accepts. */
  readonly token: string;
  /** Stored users, copied; with a filter (the target's filter subset), only those it selects. */
  users(filter?: string): Resource[];
  /** How many users are stored (no copies: cheap enough to poll). */
  userCount(): number;
  /** Stored groups (with members, whatever the faults), copied. */
  groups(): Resource[];
  /** Puts a user straight into the directory (no request logged), for tests that start with target data. */
  addUser(body: Record<string, unknown>): Resource;
  /** Puts a group straight into the directory. */
  addGroup(body: Record<string, unknown>): Resource;
  /** Every request received so far, oldest first. */
  requests(): RecordedRequest[];
  /** Forgets the request log. */
  clearRequests(): void;
  /** Changes some faults; fields left out keep their value, `null`/`false` turn one off. */
  setFaults(faults: FaultSettings): void;
  /** Turns every fault off. */
  clearFaults(): void;
  close(): Promise<void>;
}

/** A request as the target received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path under the base URL, with the query as sent (`/Users?filter=…`). */
  readonly path: string;
  /** The query, decoded. */
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Headers, lower-case, without Authorization. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** When it arrived (performance.now(), milliseconds). */
  readonly at: number;
  /** The status answered (undefined until answered). */
  status?: number;
}

/** A failure answered instead of serving requests. */
export interface FailureFault {
  /** The status to answer: 429, 503, 500, 302… */
  readonly status: number;
  /** Retry-After as delta-seconds, an HTTP date (a Date), or raw header text; absent: no header. */
  readonly retryAfter?: number | Date | string;
  /** How many matching requests fail; later ones are served. Absent: until the fault is cleared. */
  readonly times?: number;
  readonly scimType?: string;
  readonly detail?: string;
  /** Extra headers (e.g. `location` for a redirect). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Which requests fail (default all but /ServiceProviderConfig). */
  readonly only?: (request: { readonly method: string; readonly path: string }) => boolean;
}

/** The target's misbehaviours; all off by default. */
export interface FaultSettings {
  /** Answer requests with a failure (429 with or without Retry-After, 503, fail-the-next-N…). */
  readonly fail?: FailureFault | null;
  /** Wait this long before answering every request. */
  readonly delayMs?: number;
  /** At most this many changes per PATCH (each member value counts one); more is refused. */
  readonly maxPatchChanges?: number | null;
  /** How an over-limit PATCH is refused: 400 scimType tooMany (default) or 413. */
  readonly patchLimitAnswer?: "tooMany" | "payloadTooLarge";
  /** Answer groups without their `members` attribute, even when asked for it (as AWS does). */
  readonly groupsWithoutMembers?: boolean;
  /** scimType of uniqueness conflicts (default "uniqueness"; null: 409 without scimType). */
  readonly conflictScimType?: string | null;
  /** Answer every POST with 409 (with conflictScimType), duplicate or not. */
  readonly conflictOnCreate?: boolean;
  /** Answer GET /Users/{id} and /Groups/{id} with 404, whether or not the resource exists. */
  readonly notFoundOnGet?: boolean;
  /** Answer GET /ServiceProviderConfig with 404. */
  readonly noServiceProviderConfig?: boolean;
  /** `ignored`: every filter returns every resource; `rejected`: every filter answers 400 invalidFilter. */
  readonly filtering?: "works" | "ignored" | "rejected";
}

/** Options of startFaultTarget. */
export interface FaultTargetOptions {
  /** The accepted token (default: random). */
  readonly token?: string;
  /** Faults in force from the start. */
  readonly faults?: FaultSettings;
}

type Faults = Required<Omit<FaultSettings, "fail" | "maxPatchChanges" | "conflictScimType">> & {
  fail: (FailureFault & { remaining: number }) | null;
  maxPatchChanges: number | null;
};

const basePath = "/scim/v2";
const scimJson = "application/scim+json";

/** Starts a fault target listening on 127.0.0.1 at a random port. */
export async function startFaultTarget(options: FaultTargetOptions = {}): Promise<FaultTarget> {
  const token = options.token ?? randomBytes(18).toString("base64url");
  const directory = new FaultTargetDirectory();
  const log: RecordedRequest[] = [];
  const faults: Faults = { fail: null, delayMs: 0, maxPatchChanges: null, patchLimitAnswer: "tooMany", groupsWithoutMembers: false, conflictOnCreate: false, notFoundOnGet: false, noServiceProviderConfig: false, filtering: "works" };
  const setFaults = (next: FaultSettings) => {
    const { fail, conflictScimType, ...rest } = next;
    Object.assign(faults, Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)));
    if (fail !== undefined) faults.fail = fail === null ? null : { ...fail, remaining: fail.times ?? Number.POSITIVE_INFINITY };
    if (conflictScimType !== undefined) directory.conflictScimType = conflictScimType;
  };
  setFaults(options.faults ?? {});

  const app = Fastify({ logger: false });
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(["application/json", scimJson], { parseAs: "string" }, (_request, body, done) => {
    try {
      done(null, body === "" ? undefined : JSON.parse(body as string));
    } catch {
      done(new DirectoryError(400, "invalidSyntax", "the body is not JSON"), undefined);
    }
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof DirectoryError) return sendError(reply, error.status, error.scimType, error.message);
    return sendError(reply, 500, undefined, "the fault target failed");
  });

  app.addHook("preHandler", async (request, reply) => {
    const path = request.url.slice(basePath.length);
    const { authorization: _hidden, ...headers } = request.headers;
    const entry: RecordedRequest = { at: performance.now(), method: request.method, path, query: request.query as Record<string, string>, body: request.body, headers };
    log.push(entry);
    reply.raw.once("finish", () => {
      entry.status = reply.statusCode;
    });
    if (faults.delayMs > 0) await sleep(faults.delayMs);
    const isConfig = path.startsWith("/ServiceProviderConfig");
    if (!isConfig && request.headers.authorization !== `Bearer ${token}`) return sendError(reply, 401, undefined, "the bearer token is not valid");
    const fail = faults.fail;
    if (fail !== null && fail.remaining > 0 && (fail.only ? fail.only({ method: request.method, path }) : !isConfig)) {
      fail.remaining -= 1;
      for (const [name, value] of Object.entries(fail.headers ?? {})) void reply.header(name, value);
      if (fail.retryAfter !== undefined) void reply.header("retry-after", fail.retryAfter instanceof Date ? fail.retryAfter.toUTCString() : String(fail.retryAfter));
      return sendError(reply, fail.status, fail.scimType, fail.detail ?? `fault injected: ${fail.status}`);
    }
    return undefined;
  });

  app.get(`${basePath}/ServiceProviderConfig`, async (_request, reply) => {
    if (faults.noServiceProviderConfig) return sendError(reply, 404, undefined, "no ServiceProviderConfig here");
    return sendJson(reply, 200, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: faults.filtering !== "rejected", maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken", name: "OAuth Bearer Token", description: "Bearer token in the Authorization header" }],
    });
  });

  for (const kind of ["Users", "Groups"] as const) {
    const baseUrl = () => `http://127.0.0.1:${port()}${basePath}`;
    app.get(`${basePath}/${kind}`, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      if (query.filter !== undefined && faults.filtering === "rejected") return sendError(reply, 400, "invalidFilter", "filtering is not supported");
      const found = directory.find(kind, faults.filtering === "ignored" ? undefined : query.filter);
      const startIndex = Math.max(1, Number(query.startIndex ?? 1) || 1);
      const count = Math.min(100, Math.max(0, Number(query.count ?? 100) || 0));
      const page = found.slice(startIndex - 1, startIndex - 1 + count).map((resource) => present(kind, resource, query));
      return sendJson(reply, 200, { schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: found.length, startIndex, itemsPerPage: page.length, Resources: page });
    });
    app.post(`${basePath}/${kind}`, async (request, reply) => {
      if (faults.conflictOnCreate) return sendError(reply, 409, directory.conflictScimType ?? undefined, "an object like this already exists");
      const created = directory.create(kind, bodyObject(request), baseUrl());
      void reply.header("location", (created.meta as { location: string }).location);
      return sendJson(reply, 201, present(kind, created, {}));
    });
    app.get(`${basePath}/${kind}/:id`, async (request, reply) => {
      const found = faults.notFoundOnGet ? undefined : directory.get(kind, idOf(request));
      if (found === undefined) return sendError(reply, 404, undefined, `${kind} ${idOf(request)} not found`);
      return sendJson(reply, 200, present(kind, found, request.query as Record<string, string>));
    });
    app.put(`${basePath}/${kind}/:id`, async (request, reply) => sendJson(reply, 200, present(kind, directory.replace(kind, idOf(request), bodyObject(request)), {})));
    app.patch(`${basePath}/${kind}/:id`, async (request, reply) => {
      const body = bodyObject(request);
      if (!Array.isArray(body.Operations)) throw new DirectoryError(400, "invalidSyntax", "Operations must be a list");
      const operations = body.Operations as PatchInput[];
      const changes = operations.reduce((sum, operation) => sum + countChanges(operation), 0);
      if (faults.maxPatchChanges !== null && changes > faults.maxPatchChanges) {
        if (faults.patchLimitAnswer === "payloadTooLarge") return sendError(reply, 413, undefined, `at most ${faults.maxPatchChanges} changes per PATCH`);
        return sendError(reply, 400, "tooMany", `at most ${faults.maxPatchChanges} changes per PATCH, got ${changes}`);
      }
      const patched = directory.patch(kind, idOf(request), operations);
      // Groups answer 204, as Entra expects and Muster does; users answer the resource.
      if (kind === "Groups") return reply.code(204).send();
      return sendJson(reply, 200, present(kind, patched, {}));
    });
    app.delete(`${basePath}/${kind}/:id`, async (request, reply) => {
      directory.delete(kind, idOf(request));
      return reply.code(204).send();
    });
  }
  app.all("/*", async (request, reply) => sendError(reply, 404, undefined, `nothing at ${request.method} ${request.url}`));

  /** Projects a resource as answered: groups lose members when the fault says so, then attributes/excludedAttributes apply. */
  function present(kind: Kind, resource: Resource, query: Record<string, string | undefined>): Resource {
    const shown: Resource = { ...resource };
    if (kind === "Groups" && faults.groupsWithoutMembers) delete shown.members;
    const names = (list: string | undefined) => {
      if (list === undefined) return undefined;
      const parsed = parseAttributeList(list);
      if (!parsed.ok) throw new DirectoryError(400, "invalidPath", parsed.error.detail);
      return new Set(parsed.value.map((path) => path.attribute.toLowerCase()));
    };
    const wanted = names(query.attributes);
    const excluded = names(query.excludedAttributes);
    for (const key of Object.keys(shown)) {
      const lower = key.toLowerCase();
      if (lower === "id" || lower === "schemas" || lower === "meta") continue;
      if ((wanted !== undefined && !wanted.has(lower)) || excluded?.has(lower)) delete shown[key];
    }
    return shown;
  }

  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = () => (app.server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port()}${basePath}`,
    token,
    users: (filter?: string) => directory.find("Users", filter),
    userCount: () => directory.count("Users"),
    groups: () => directory.all("Groups"),
    addUser: (body) => directory.create("Users", body, `http://127.0.0.1:${port()}${basePath}`),
    addGroup: (body) => directory.create("Groups", body, `http://127.0.0.1:${port()}${basePath}`),
    requests: () => log.map((entry) => ({ ...entry })),
    clearRequests: () => {
      log.length = 0;
    },
    setFaults,
    clearFaults: () => {
      setFaults({ fail: null, delayMs: 0, maxPatchChanges: null, patchLimitAnswer: "tooMany", groupsWithoutMembers: false, conflictScimType: "uniqueness", conflictOnCreate: false, notFoundOnGet: false, noServiceProviderConfig: false, filtering: "works" });
    },
    close: () => app.close(),
  };
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new DirectoryError(400, "invalidSyntax", "the body must be a JSON object");
  return body as Record<string, unknown>;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header("content-type", scimJson).send(JSON.stringify(body));
}

function sendError(reply: FastifyReply, status: number, scimType: string | undefined, detail: string): FastifyReply {
  const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), ...(scimType !== undefined ? { scimType } : {}), detail };
  return sendJson(reply, status, body);
}
