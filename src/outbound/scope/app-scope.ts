/**
 * Which objects an app provisions: every User and Group of the tenant, or only those assigned to it
 * (groups, whose direct members come along, and individual users).
 */
export type AppScope =
  | { readonly kind: "all" }
  | { readonly kind: "assigned"; readonly groupIds: readonly string[]; readonly userIds: readonly string[] };
