import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RawBuilder } from "kysely";
import { buildServer, scimBaseUrl, type MusterServer, type ServerOptions } from "../../src/http/server.js";
import { createTenant } from "../../src/provisioning/tenants.js";
import { createToken } from "../../src/provisioning/tokens.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store, TenantRecord } from "../../src/store/store.js";
import { openRawDatabase } from "../../src/store/testing/raw-database.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase, testDatabaseKind } from "../../src/store/testing/test-database.js";

/** A response as tests see it. */
export interface ScimResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body, or undefined for an empty body. */
  readonly body: any;
  readonly text: string;
}

/** Options of one request. */
export interface RequestOptions {
  readonly body?: unknown;
  /** A raw body sent as is (for malformed JSON tests). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** Token to send; null sends no Authorization header. Defaults to the tenant's token. */
  readonly token?: string | null;
}

/** A tenant with a working token on a running test server. */
export interface TestTenant {
  readonly record: TenantRecord;
  readonly token: string;
  readonly baseUrl: string;
  /** Sends a request to a path under this tenant's SCIM base URL. */
  request(method: string, path: string, options?: RequestOptions): Promise<ScimResponse>;
}

/**
 * A real Muster server listening on 127.0.0.1, on a fresh database of the test project's kind
 * (MUSTER_TEST_DATABASE): a SQLite file in a temp dir, or a new database on the PostgreSQL test cluster.
 */
export interface TestServer {
  readonly url: string;
  readonly store: Store;
  /** The database's URL, for another node, the CLI or a raw connection on the same database. */
  readonly databaseUrl: string;
  readonly server: MusterServer;
  readonly dir: string;
  addTenant(slug: string): Promise<TestTenant>;
  /** Runs a statement written with Kysely's `sql` tag on a connection of its own to the server's database, on either database (see RawDatabase). */
  raw<T>(query: RawBuilder<T>): Promise<T[]>;
  fetch(method: string, url: string, options?: RequestOptions): Promise<ScimResponse>;
  /** Stops the server and removes its database; rejects when the server could not write what it buffered, after removing the database. */
  close(): Promise<void>;
}

/** Starts a server; call close() in afterAll. */
export async function startTestServer(
  options: Pick<ServerOptions, "authCacheMillis" | "lastUsedFlushMillis" | "rateLimitPerMinute" | "now" | "trustProxy" | "metricsToken" | "metricsTenantLabels" | "healthSampleMillis" | "outbound"> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "muster-test-"));
  const postgres = testDatabaseKind() === "postgres";
  const databaseUrl = postgres ? await createTestPostgresDatabase({ migrated: true }) : `sqlite:${join(dir, "muster.db")}`;
  const store = await openStore(databaseUrl);
  let url = "";
  const server = await buildServer({ store, publicUrl: () => url, logger: false, ...options });
  const address = await server.app.listen({ host: "127.0.0.1", port: 0 });
  url = address;
  const rawDatabase = openRawDatabase(databaseUrl);

  const fetchJson = async (method: string, target: string, request: RequestOptions = {}): Promise<ScimResponse> => {
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    let body: string | undefined;
    if (request.rawBody !== undefined) body = request.rawBody;
    else if (request.body !== undefined) body = JSON.stringify(request.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/scim+json";
    const response = await fetch(target, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  return {
    url,
    store,
    databaseUrl,
    server,
    dir,
    fetch: fetchJson,
    raw: (query) => rawDatabase.query(query),
    async addTenant(slug: string): Promise<TestTenant> {
      const record = await createTenant(store, slug, undefined);
      const { token } = await createToken(store, record, `${slug} test client`);
      const baseUrl = scimBaseUrl(url, slug);
      return {
        record,
        token,
        baseUrl,
        request(method, path, options = {}) {
          const auth: Record<string, string> = options.token === null ? {} : { authorization: `Bearer ${options.token ?? token}` };
          return fetchJson(method, `${baseUrl}${path}`, { ...options, headers: { ...auth, ...(options.headers ?? {}) } });
        },
      };
    },
    async close() {
      try {
        await server.close();
      } finally {
        // Also when the server could not write its last-used times and activity (a test closed the store on purpose): the database goes either way.
        await store.close();
        await rawDatabase.close();
        if (postgres) await dropTestPostgresDatabase(databaseUrl);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A minimal valid User body. */
export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, ...extra };
}

/** A minimal valid Group body. */
export function groupBody(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, ...extra };
}

/** A PatchOp body. */
export function patchBody(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}
