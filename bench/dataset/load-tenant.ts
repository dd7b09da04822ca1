import { randomUUID } from "node:crypto";
import { createToken } from "../../src/provisioning/tokens.js";
import { parseResourceBody } from "../../src/scim/resource/parse-resource-body.js";
import { unwrap } from "../../src/scim/result.js";
import { registry } from "../../src/scim/schema/registry.js";
import { newId } from "../../src/store/ids.js";
import type { Store } from "../../src/store/store.js";
import { SeededRandom } from "../random.js";
import { createdAt, groupBody, groupMemberIndexes, managerIndex, userBody, userFacts } from "./generate-user.js";
import type { SampleGroup, SampleUser } from "./manifest.js";
import type { TenantPlan } from "./tenant-plan.js";

/** Progress of a long load, one bar per phase. */
export interface LoadProgress {
  phase(name: string, total: number): void;
  advance(name: string, done: number): void;
  finish(): void;
}

/** What loading produced: the tenant's slug and token, and the sampled request targets. */
export interface LoadedTenant {
  readonly tenantSlug: string;
  readonly token: string;
  readonly users: SampleUser[];
  readonly groups: SampleGroup[];
  readonly bigGroup: SampleGroup;
  readonly smallGroup: SampleGroup & { readonly memberIds: readonly string[] };
}

/** Users per write transaction: large enough that commits (fsyncs) cost nothing, small enough to show progress. */
const userBatch = 5_000;
/** Membership rows per write transaction. */
const memberBatch = 10_000;
const maxSampleUsers = 20_000;
const maxSampleGroups = 2_000;
export const benchTenantSlug = "bench";

/**
 * Loads a generated tenant through the storage layer (Store.write, many inserts per transaction):
 * users with their manager links, then groups with their members. Bodies go through the same parser
 * as a POST, so the rows are exactly what Muster would have stored.
 */
export async function loadTenant(store: Store, plan: TenantPlan, progress: LoadProgress): Promise<LoadedTenant> {
  const tenant = await store.write((session) => session.tenants.create({ id: randomUUID(), slug: benchTenantSlug, name: "Benchmark", created: createdAt(0).toISOString() }));
  const { token } = await createToken(store, tenant, "bench load generator");
  const userSchema = registry.forType("User");
  const groupSchema = registry.forType("Group");
  const draw = new SeededRandom(plan.seed ^ 0x73616d70);
  const sampled = new Set(draw.distinct(Math.min(maxSampleUsers, plan.users), plan.users));

  const ids: string[] = new Array<string>(plan.users);
  progress.phase("users", plan.users);
  for (let start = 0; start < plan.users; start += userBatch) {
    const end = Math.min(plan.users, start + userBatch);
    await store.write(async (session) => {
      for (let index = start; index < end; index++) {
        const created = createdAt(index);
        const id = newId(created.getTime());
        ids[index] = id;
        const manager = managerIndex(index);
        const body = userBody(plan, index, manager === undefined ? undefined : ids[manager]);
        const { attributes } = unwrap(parseResourceBody(userSchema, body, { mode: "create" }));
        await session.resources.insert({ tenantId: tenant.id, id, type: "User", attributes, created: created.toISOString() });
      }
    });
    progress.advance("users", end);
  }

  const groupIds: string[] = new Array<string>(plan.groups);
  const memberCounts: number[] = new Array<number>(plan.groups).fill(0);
  let smallMembers: string[] = [];
  progress.phase("groups", plan.groups);
  const groupBatch = 200;
  for (let start = 0; start < plan.groups; start += groupBatch) {
    const end = Math.min(plan.groups, start + groupBatch);
    await store.write(async (session) => {
      for (let index = start; index < end; index++) {
        const id = newId(createdAt(index).getTime());
        groupIds[index] = id;
        const { attributes } = unwrap(parseResourceBody(groupSchema, groupBody(plan, index), { mode: "create" }));
        await session.resources.insert({ tenantId: tenant.id, id, type: "Group", attributes, created: createdAt(index).toISOString() });
        // The big group's members are added below in batches of their own.
        if (index === 0) continue;
        const members = groupMemberIndexes(plan, index).map((user) => ids[user]!);
        if (index === 1) smallMembers = members;
        memberCounts[index] = await session.resources.addMembers(tenant.id, id, members.map((value) => ({ value, type: "User" as const })));
      }
    });
    progress.advance("groups", end);
  }

  progress.phase("big group members", plan.bigGroupSize);
  for (let start = 0; start < plan.bigGroupSize; start += memberBatch) {
    const end = Math.min(plan.bigGroupSize, start + memberBatch);
    const members = ids.slice(start, end).map((value) => ({ value, type: "User" as const }));
    memberCounts[0] = (memberCounts[0] ?? 0) + (await store.write((session) => session.resources.addMembers(tenant.id, groupIds[0]!, members)));
    progress.advance("big group members", end);
  }
  progress.finish();

  const users = [...sampled].map((index) => ({ ...userFacts(plan, index), id: ids[index]! }));
  const groupOf = (index: number): SampleGroup => ({ index, id: groupIds[index]!, displayName: String(groupBody(plan, index).displayName), size: memberCounts[index] ?? 0 });
  const groupDraw = draw.distinct(Math.min(maxSampleGroups, plan.groups - 2), plan.groups - 2).map((index) => groupOf(index + 2));
  return { tenantSlug: tenant.slug, token, users, groups: groupDraw, bigGroup: groupOf(0), smallGroup: { ...groupOf(1), memberIds: smallMembers } };
}
