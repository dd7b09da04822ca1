/** What the bench generates: the sizes of one tenant. Everything else follows from the seed. */
export interface TenantPlan {
  readonly users: number;
  readonly groups: number;
  /** Members of the big group ("All Employees"): the users with index below this. */
  readonly bigGroupSize: number;
  /** Members of the small group whose member PATCHes are compared with the big group's. */
  readonly smallGroupSize: number;
  readonly seed: number;
}

/** Bumped whenever generated data changes, so cached databases of an older generator are not reused. */
export const generatorVersion = 1;

/** Users of the default run and of `--quick`. */
export const defaultUsers = 1_000_000;
export const quickUsers = 100_000;

/**
 * The tenant for a user count: one group per hundred users (10,000 at a million), a big group of
 * 100,000 members (half the users in smaller tenants, so non-members remain to add), a 10-member group,
 * and small groups of 2–30 members.
 */
export function planTenant(users: number, seed = 20_261_128): TenantPlan {
  if (!Number.isInteger(users) || users < 100) throw new Error(`--users must be an integer of at least 100, not ${users}`);
  return {
    users,
    groups: Math.max(5, Math.round(users / 100)),
    bigGroupSize: Math.min(100_000, Math.floor(users / 2)),
    smallGroupSize: 10,
    seed,
  };
}
