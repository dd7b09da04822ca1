/** What the bench generates: the sizes of one tenant. Everything else follows from the seed. */
export interface TenantPlan {
  readonly users: number;
  readonly groups: number;
  /** Members of the big group ("All Employees"): the users with index below this. */
  readonly bigGroupSize: number;
  /** Members of the small group whose member PATCHes are compared with the big group's. */
  readonly smallGroupSize: number;
  /**
   * Mean members of every other group, drawn evenly from 1 to twice the mean less one; absent: 2–30
   * members (the plans of issue 6). Absent from the JSON of older plans, so their cache keys stay.
   */
  readonly groupMembers?: number;
  readonly seed: number;
}

/** Bumped whenever generated data changes, so cached databases of an older generator are not reused. */
export const generatorVersion = 1;

const defaultSeed = 20_261_128;

/** Users of the default run and of `--quick`. */
export const defaultUsers = 1_000_000;
export const quickUsers = 100_000;

/**
 * The tenant for a user count: one group per hundred users (10,000 at a million), a big group of
 * 100,000 members (half the users in smaller tenants, so non-members remain to add), a 10-member group,
 * and small groups of 2–30 members.
 */
export function planTenant(users: number, seed = defaultSeed): TenantPlan {
  if (!Number.isInteger(users) || users < 100) throw new Error(`--users must be an integer of at least 100, not ${users}`);
  return {
    users,
    groups: Math.max(5, Math.round(users / 100)),
    bigGroupSize: Math.min(100_000, Math.floor(users / 2)),
    smallGroupSize: 10,
    seed,
  };
}

/**
 * The source tenant of the outbound scenario (issue 13): `groups` groups of `groupMembers` members on
 * average, "All Employees" and "Leadership Council" included (the first `groupMembers` users, and 10),
 * the rest drawn evenly from 1 to 2 × `groupMembers` − 1 members. Users as in planTenant.
 */
export function planOutboundTenant(users: number, groups: number, groupMembers: number, seed = defaultSeed): TenantPlan {
  if (!Number.isInteger(users) || users < 100) throw new Error(`outbound users must be an integer of at least 100, not ${users}`);
  if (!Number.isInteger(groups) || groups < 2) throw new Error(`outbound groups must be an integer of at least 2, not ${groups}`);
  if (!Number.isInteger(groupMembers) || groupMembers < 1 || 2 * groupMembers - 1 > users) throw new Error(`outbound group members must be an integer from 1 to half the users, not ${groupMembers}`);
  return { users, groups, bigGroupSize: groupMembers, smallGroupSize: Math.min(10, users), groupMembers, seed };
}
