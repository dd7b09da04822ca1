import type {
  ActivityEntry,
  ActivityQuery,
  AuditEvent,
  AuditExportFormat,
  AuditQuery,
  ChangePasswordRequest,
  CreatedToken,
  CreateTenantRequest,
  CreateTokenRequest,
  DirectoryQuery,
  GroupDetail,
  GroupRow,
  LoginRequest,
  MemberRow,
  NodeHealth,
  Page,
  SessionInfo,
  SetupLinkInfo,
  SetupRequest,
  Tenant,
  TenantStats,
  TokenSummary,
  UserDetail,
  UserRow,
} from "../../../shared/admin-api";
import { ApiRequestError, type ApiClient } from "./api-client";

/** Every admin API route the console uses (shared/admin-api.ts), typed. */
export type AdminEndpoints = ReturnType<typeof createAdminEndpoints>;

const segment = encodeURIComponent;

/** Binds the admin API routes to a client. */
export function createAdminEndpoints(client: ApiClient) {
  const tenantPath = (slug: string) => `/tenants/${segment(slug)}`;
  return {
    /** The signed-in session, or null when nobody is signed in. */
    async session(): Promise<SessionInfo | null> {
      try {
        return await client.request<SessionInfo>("GET", "/session");
      } catch (error) {
        if (error instanceof ApiRequestError && error.code === "unauthenticated") return null;
        throw error;
      }
    },
    signIn: (request: LoginRequest) => client.request<SessionInfo>("POST", "/session", { body: request }),
    signOut: () => client.request<void>("DELETE", "/session"),
    changePassword: (request: ChangePasswordRequest) => client.request<void>("PUT", "/session/password", { body: request }),
    setupLink: (token: string) => client.request<SetupLinkInfo>("GET", `/setup/${segment(token)}`),
    completeSetup: (token: string, request: SetupRequest) => client.request<SessionInfo>("POST", `/setup/${segment(token)}`, { body: request }),

    tenants: () => client.request<Tenant[]>("GET", "/tenants"),
    tenant: (slug: string) => client.request<Tenant>("GET", tenantPath(slug)),
    createTenant: (request: CreateTenantRequest) => client.request<Tenant>("POST", "/tenants", { body: request }),
    renameTenant: (slug: string, name: string) => client.request<Tenant>("PATCH", tenantPath(slug), { body: { name } }),
    deleteTenant: (slug: string, confirm: string) => client.request<void>("DELETE", tenantPath(slug), { body: { confirm } }),
    stats: (slug: string) => client.request<TenantStats>("GET", `${tenantPath(slug)}/stats`),

    tokens: (slug: string) => client.request<TokenSummary[]>("GET", `${tenantPath(slug)}/tokens`),
    createToken: (slug: string, request: CreateTokenRequest) => client.request<CreatedToken>("POST", `${tenantPath(slug)}/tokens`, { body: request }),
    revokeToken: (slug: string, id: string) => client.request<void>("DELETE", `${tenantPath(slug)}/tokens/${segment(id)}`),

    users: (slug: string, query: DirectoryQuery) => client.request<Page<UserRow>>("GET", `${tenantPath(slug)}/users`, { query: { ...query } }),
    user: (slug: string, id: string) => client.request<UserDetail>("GET", `${tenantPath(slug)}/users/${segment(id)}`),
    groups: (slug: string, query: DirectoryQuery) => client.request<Page<GroupRow>>("GET", `${tenantPath(slug)}/groups`, { query: { ...query } }),
    group: (slug: string, id: string) => client.request<GroupDetail>("GET", `${tenantPath(slug)}/groups/${segment(id)}`),
    members: (slug: string, id: string, query: { cursor?: string; count?: number }) =>
      client.request<Page<MemberRow>>("GET", `${tenantPath(slug)}/groups/${segment(id)}/members`, { query }),
    activity: (slug: string, query: ActivityQuery) => client.request<Page<ActivityEntry>>("GET", `${tenantPath(slug)}/activity`, { query: { ...query } }),

    audit: (query: AuditQuery) => client.request<Page<AuditEvent>>("GET", "/audit", { query: { ...query } }),
    /** Where the browser downloads every event matching the filters (a link: the answer is a file, not JSON). */
    auditExportUrl: (format: AuditExportFormat, query: Omit<AuditQuery, "cursor" | "count">) => client.href("/audit/export", { format, ...query }),
    nodeHealth: () => client.request<NodeHealth>("GET", "/node/health"),
  };
}
