import { createAdmin } from "../../src/admin/admin-accounts.js";
import { cliActor } from "../../src/cli/cli-actor.js";
import type { ScimResponse, TestServer } from "./scim-server.js";

/** A signed-in console admin on a test server. */
export interface AdminSession {
  readonly email: string;
  readonly password: string;
  /** The `muster_session=…` pair to send as the Cookie header. */
  readonly cookie: string;
  readonly csrfToken: string;
  /**
   * Sends a request to the admin API as this admin: `path` is under /api (e.g. "/tenants"); the
   * session cookie always, X-CSRF-Token on POST/PUT/PATCH/DELETE, a JSON body when given.
   */
  request(method: string, path: string, body?: unknown): Promise<ScimResponse>;
}

let created = 0;

/**
 * Creates an admin in the test server's store (a fresh email unless given) and signs in through
 * POST /api/session, as the console does.
 */
export async function signInAdmin(server: TestServer, options: { email?: string; password?: string } = {}): Promise<AdminSession> {
  created += 1;
  const email = options.email ?? `admin-${process.pid}-${created}@example.com`;
  const password = options.password ?? "test admin password 1";
  if (!(await server.store.read((session) => session.admins.byEmail(email)))) await createAdmin(server.store, cliActor(), email, password);
  const response = await server.fetch("POST", `${server.url}/api/session`, { body: { email, password }, headers: { "content-type": "application/json" } });
  if (response.status !== 200) throw new Error(`sign-in as ${email} failed with ${response.status}: ${response.text}`);
  const cookie = sessionCookieOf(response.headers);
  if (cookie === undefined) throw new Error("sign-in answered without a muster_session cookie");
  const csrfToken: string = response.body.csrfToken;
  return {
    email,
    password,
    cookie,
    csrfToken,
    request(method, path, body) {
      const upper = method.toUpperCase();
      const headers: Record<string, string> = { cookie, "content-type": "application/json" };
      if (upper !== "GET" && upper !== "HEAD") headers["x-csrf-token"] = csrfToken;
      return server.fetch(upper, `${server.url}/api${path}`, { headers, ...(body === undefined ? {} : { body }) });
    },
  };
}

/** The `muster_session=<secret>` pair of a response's Set-Cookie headers, if it sets one. */
export function sessionCookieOf(headers: Headers): string | undefined {
  const line = headers.getSetCookie().find((value) => value.startsWith("muster_session="));
  return line?.split(";")[0];
}
