import type { RawResponse } from "./raw-client.js";
import { IdpClient } from "./idp-clients.js";

/**
 * A client whose Tenant URL carries a query string, as when the admin appends Entra's
 * `?aadOptscim062020` (ENT-40). Entra appends resource paths to the Tenant URL; whether it keeps the
 * query on each request is an open question (COMPATIBILITY.md §8). This client assumes the form a URL
 * library produces, and the only one a SCIM server can route: the path goes before the query and the
 * Tenant URL's parameters come first (`{base}/Users?aadOptscim062020&filter=…`). A client that dropped
 * the query would send exactly what the default dialect's client sends.
 */
export class TenantUrlClient extends IdpClient {
  readonly tenantQuery: string;

  constructor(client: IdpClient, tenantQuery: string) {
    super(client.profile, client.baseUrl, client.token);
    this.tenantQuery = tenantQuery;
  }

  /** The Tenant URL as the admin pastes it. */
  get tenantUrl(): string {
    return `${this.baseUrl}?${this.tenantQuery}`;
  }

  override send(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<RawResponse> {
    const [pathname, query] = path.split("?", 2) as [string, string | undefined];
    return super.send(method, `${pathname}?${this.tenantQuery}${query ? `&${query}` : ""}`, body, extraHeaders);
  }

  override withToken(token: string): IdpClient {
    return new TenantUrlClient(new IdpClient(this.profile, this.baseUrl, token), this.tenantQuery);
  }
}

/** One PATCH operation. */
export type PatchOperation = Record<string, unknown>;

/** How Entra ID expresses the same change in one of its two PATCH dialects (MS-COMPAT table, ENT-40). */
export interface EntraDialect {
  readonly name: string;
  /** The client Entra uses once the admin has entered the Tenant URL for this dialect. */
  connect(client: IdpClient): IdpClient;
  /** An operation name: `Add`/`Replace`/`Remove` by default, lower case with the flag (ENT-30). */
  op(name: "add" | "replace" | "remove"): string;
  /** Disable or enable: the string "False"/"True" by default, a JSON boolean with the flag (ENT-36, ENT-37). */
  setActive(active: boolean): PatchOperation[];
  /**
   * Replace several attributes, keyed by path: one op per path by default; with the flag, value-filter
   * paths keep their own op and the rest go into one path-less replace keyed by path (ENT-35).
   */
  replaceAttributes(values: Record<string, unknown>): PatchOperation[];
  /** Remove members: one op with a value array by default; one `members[value eq "…"]` op each with the flag (ENT-55). */
  removeMembers(ids: readonly string[]): PatchOperation[];
}

/** Entra's default dialect (no flag in the Tenant URL). */
export const entraDefaultDialect: EntraDialect = {
  name: "default",
  connect: (client) => client,
  op: (name) => name[0]!.toUpperCase() + name.slice(1),
  setActive: (active) => [{ op: "Replace", path: "active", value: active ? "True" : "False" }],
  replaceAttributes: (values) => Object.entries(values).map(([path, value]) => ({ op: "Replace", path, value })),
  removeMembers: (ids) => [{ op: "Remove", path: "members", value: ids.map((value) => ({ value })) }],
};

/** Entra's RFC-compliant dialect, switched on by `?aadOptscim062020` in the Tenant URL. */
export const entraFlagDialect: EntraDialect = {
  name: "aadOptscim062020",
  connect: (client) => new TenantUrlClient(client, "aadOptscim062020"),
  op: (name) => name,
  setActive: (active) => [{ op: "replace", path: "active", value: active }],
  replaceAttributes: (values) => {
    const entries = Object.entries(values);
    const filtered = entries.filter(([path]) => path.includes("["));
    const plain = entries.filter(([path]) => !path.includes("["));
    return [
      ...filtered.map(([path, value]) => ({ op: "replace", path, value })),
      ...(plain.length > 0 ? [{ op: "replace", value: Object.fromEntries(plain) }] : []),
    ];
  },
  removeMembers: (ids) => ids.map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })),
};

/** Both dialects, for suites that replay each flow in each. */
export const entraDialects: readonly EntraDialect[] = [entraDefaultDialect, entraFlagDialect];
