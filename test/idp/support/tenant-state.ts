import type { IdpClient } from "./idp-clients.js";

/** A tenant's directory with server-issued ids replaced by names, so two runs can be compared. */
export interface TenantState {
  readonly users: Record<string, Record<string, unknown>>;
  readonly groups: Record<string, { attributes: Record<string, unknown>; members: string[] }>;
}

/**
 * Reads every user and group through SCIM GETs (index paging) and returns them keyed by userName /
 * displayName, without id, meta or $ref, with member ids and manager ids mapped to userNames. Used to
 * assert that flows leave the same state, e.g. Entra's two PATCH dialects (ENT-40).
 */
export async function readTenantState(client: IdpClient): Promise<TenantState> {
  const users = await readAll(client, "Users");
  const groups = await readAll(client, "Groups");
  const nameOfId = new Map<string, string>();
  for (const user of users) nameOfId.set(user.id as string, `user:${user.userName as string}`);
  for (const group of groups) nameOfId.set(group.id as string, `group:${group.displayName as string}`);
  const mapId = (id: unknown) => nameOfId.get(id as string) ?? `unknown:${String(id)}`;

  const state: TenantState = { users: {}, groups: {} };
  for (const user of users) {
    const { id: _id, meta: _meta, groups: memberships, ...attributes } = user;
    const enterprise = attributes["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as Record<string, any> | undefined;
    if (enterprise?.manager?.value) enterprise.manager = { value: mapId(enterprise.manager.value) };
    state.users[user.userName as string] = {
      ...attributes,
      ...(Array.isArray(memberships) ? { groups: memberships.map((g: { value: string }) => mapId(g.value)).sort() } : {}),
    };
  }
  for (const group of groups) {
    const { id: _id, meta: _meta, members, ...attributes } = group;
    state.groups[group.displayName as string] = {
      attributes,
      members: (Array.isArray(members) ? members : []).map((m: { value: string }) => mapId(m.value)).sort(),
    };
  }
  return state;
}

async function readAll(client: IdpClient, resource: "Users" | "Groups"): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = [];
  for (let start = 1; ; start += 100) {
    const page = await client.get(`/${resource}?startIndex=${start}&count=100`);
    if (page.status !== 200) throw new Error(`GET /${resource} answered ${page.status}: ${page.text}`);
    all.push(...page.body.Resources);
    if (start + 100 > page.body.totalResults) return all;
  }
}
