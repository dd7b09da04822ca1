import type { ActivityQuery, AuditQuery, DirectoryQuery } from "../../../shared/admin-api";

/** TanStack Query keys; everything about one tenant starts with ["tenant", slug] so it can be refreshed at once. */
export const queryKeys = {
  session: ["session"] as const,
  tenants: ["tenants"] as const,
  nodeHealth: ["node-health"] as const,
  tenant: (slug: string) => ["tenant", slug] as const,
  tenantDetails: (slug: string) => ["tenant", slug, "details"] as const,
  stats: (slug: string) => ["tenant", slug, "stats"] as const,
  tokens: (slug: string) => ["tenant", slug, "tokens"] as const,
  users: (slug: string, query: DirectoryQuery) => ["tenant", slug, "users", query] as const,
  user: (slug: string, id: string) => ["tenant", slug, "user", id] as const,
  groups: (slug: string, query: DirectoryQuery) => ["tenant", slug, "groups", query] as const,
  group: (slug: string, id: string) => ["tenant", slug, "group", id] as const,
  members: (slug: string, id: string, cursor: string | undefined) => ["tenant", slug, "group", id, "members", cursor ?? null] as const,
  allActivity: (slug: string) => ["tenant", slug, "activity"] as const,
  activity: (slug: string, query: ActivityQuery) => ["tenant", slug, "activity", query] as const,
  allAudit: ["audit"] as const,
  audit: (query: AuditQuery) => ["audit", query] as const,
};
