import type { App, AppLogEntry, AppLogPage } from "../../shared/admin-api.js";

/** An answer of the admin API that was not the expected status. */
export class AdminApiError extends Error {}

/**
 * A console admin signed in to a `muster serve` over HTTP, as the console is: the session cookie on
 * every request, X-CSRF-Token on writes. Used to create and watch the outbound scenario's app.
 */
export class AdminClient {
  private readonly origin: string;
  private readonly cookie: string;
  private readonly csrfToken: string;

  private constructor(origin: string, cookie: string, csrfToken: string) {
    this.origin = origin;
    this.cookie = cookie;
    this.csrfToken = csrfToken;
  }

  /** Signs in through POST /api/session. */
  static async signIn(origin: string, email: string, password: string): Promise<AdminClient> {
    const response = await fetch(`${origin}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
    const text = await response.text();
    if (response.status !== 200) throw new AdminApiError(`signing in as ${email} answered ${response.status}: ${text.slice(0, 300)}`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("muster_session="))?.split(";")[0];
    if (cookie === undefined) throw new AdminApiError("signing in answered without a session cookie");
    return new AdminClient(origin, cookie, (JSON.parse(text) as { csrfToken: string }).csrfToken);
  }

  /** One request under /api; the parsed body of an answer with the expected status, else an AdminApiError. */
  async request<T>(method: string, path: string, body?: unknown, expected: readonly number[] = [200]): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (method !== "GET") headers["x-csrf-token"] = this.csrfToken;
    const response = await fetch(`${this.origin}/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new AdminApiError(`${method} /api${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** GET …/apps/{id}. */
  app(tenant: string, appId: string): Promise<App> {
    return this.request<App>("GET", `/tenants/${tenant}/apps/${appId}`);
  }

  /** Every provisioning log entry of an app at or after `since`, of one action if given (newest first, page by page). */
  async logsSince(tenant: string, appId: string, since: string, action?: AppLogEntry["action"]): Promise<AppLogEntry[]> {
    const entries: AppLogEntry[] = [];
    for (let cursor: string | null = null; ; ) {
      const query = new URLSearchParams({ since, count: "200", ...(action === undefined ? {} : { action }), ...(cursor === null ? {} : { cursor }) });
      const page: AppLogPage = await this.request<AppLogPage>("GET", `/tenants/${tenant}/apps/${appId}/logs?${query.toString()}`);
      entries.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return entries;
    }
  }
}
