import { check, type ReplaySession } from "./replay-session.js";

const enterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** What a replay expects one user to look like at the end. */
export interface ExpectedUser {
  id: string;
  userName: string;
  externalId: string;
  active: boolean;
  givenName: string;
  familyName: string;
  workEmail: string;
  title?: string;
  workAddress?: string;
  department?: string;
  managerUserName?: string;
}

/** What a replay expects one group to look like at the end. */
export interface ExpectedGroup {
  id: string;
  displayName: string;
  externalId?: string;
  /** userNames of the members. */
  members: Set<string>;
}

/** The directory a replay builds up as it goes, and checks against the server at the end. */
export class ExpectedDirectory {
  readonly users = new Map<string, ExpectedUser>();
  readonly groups = new Map<string, ExpectedGroup>();
  /** Prefix of every userName and group displayName this run created, so its resources can be found. */
  readonly userPrefix: string;
  readonly groupPrefix: string;

  constructor(userPrefix: string, groupPrefix: string) {
    this.userPrefix = userPrefix;
    this.groupPrefix = groupPrefix;
  }

  userById(id: string): ExpectedUser | undefined {
    return [...this.users.values()].find((user) => user.id === id);
  }

  /** Reads this run's users and groups back and fails on any difference from the expectation. */
  async verify(session: ReplaySession): Promise<{ users: number; inactive: number; groups: number; memberships: number }> {
    const users = await readAll(session, "Users", `userName sw "${this.userPrefix}"`);
    const groups = await readAll(session, "Groups", `displayName sw "${this.groupPrefix}"`);
    const names = (items: any[], key: string) => items.map((item) => item[key] as string).sort();
    checkSameSet("users", names(users, "userName"), [...this.users.keys()]);
    checkSameSet("groups", names(groups, "displayName"), [...this.groups.keys()]);
    const userNameOf = new Map(users.map((user) => [user.id as string, user.userName as string]));
    for (const user of users) this.verifyUser(user, userNameOf);
    let memberships = 0;
    for (const group of groups) {
      const expected = this.groups.get(group.displayName)!;
      check(group.id === expected.id, `group "${group.displayName}" has id ${group.id}, expected ${expected.id}`);
      check(group.externalId === expected.externalId, `group "${group.displayName}" has externalId ${group.externalId}, expected ${expected.externalId}`);
      const members = ((group.members ?? []) as { value: string }[]).map((member) => userNameOf.get(member.value) ?? `unknown id ${member.value}`).sort();
      checkSameSet(`members of group "${group.displayName}"`, members, [...expected.members]);
      memberships += members.length;
    }
    return { users: users.length, inactive: users.filter((user) => user.active === false).length, groups: groups.length, memberships };
  }

  private verifyUser(user: any, userNameOf: Map<string, string>): void {
    const expected = this.users.get(user.userName)!;
    const who = `user "${user.userName}"`;
    check(user.id === expected.id, `${who} has id ${user.id}, expected ${expected.id}`);
    check(user.externalId === expected.externalId, `${who} has externalId ${user.externalId}, expected ${expected.externalId}`);
    check(user.active === expected.active, `${who} has active ${user.active}, expected ${expected.active}`);
    check(user.name?.givenName === expected.givenName && user.name?.familyName === expected.familyName, `${who} has name ${JSON.stringify(user.name)}, expected ${expected.givenName} ${expected.familyName}`);
    const work = (user.emails ?? []).filter((email: any) => email.type === "work");
    check(work.length === 1 && work[0].value === expected.workEmail, `${who} has work emails ${JSON.stringify(work)}, expected exactly ${expected.workEmail}`);
    check(user.title === expected.title, `${who} has title ${user.title}, expected ${expected.title}`);
    const addresses = (user.addresses ?? []).filter((address: any) => address.type === "work");
    const address = addresses.length === 1 ? addresses[0].formatted : addresses.length === 0 ? undefined : `${addresses.length} work addresses`;
    check(address === expected.workAddress, `${who} has work address ${address}, expected ${expected.workAddress}`);
    const enterprise = user[enterpriseUrn] ?? {};
    check(enterprise.department === expected.department, `${who} has department ${enterprise.department}, expected ${expected.department}`);
    const manager = enterprise.manager?.value ? (userNameOf.get(enterprise.manager.value) ?? `id ${enterprise.manager.value}`) : undefined;
    check(manager === expected.managerUserName, `${who} has manager ${manager}, expected ${expected.managerUserName}`);
    check(user.password === undefined, `${who} came back with a password`);
  }
}

/** Every resource matching a filter, through index paging as Entra and Okta page (startIndex/count). */
async function readAll(session: ReplaySession, resource: "Users" | "Groups", filter: string): Promise<any[]> {
  const all: any[] = [];
  for (let start = 1; ; start += 100) {
    const page = await session.filter(`read back ${resource}`, resource, filter, `startIndex=${start}&count=100`);
    all.push(...page.body.Resources);
    if (start + 100 > page.body.totalResults) return all;
  }
}

/** Fails with what is missing and what is unexpected when two lists of names differ. */
function checkSameSet(what: string, actual: readonly string[], expected: readonly string[]): void {
  const missing = expected.filter((name) => !actual.includes(name));
  const unexpected = actual.filter((name) => !expected.includes(name));
  const duplicates = actual.filter((name, i) => actual.indexOf(name) !== i);
  check(missing.length === 0 && unexpected.length === 0 && duplicates.length === 0, `${what} differ from the expected: missing ${list(missing)}, unexpected ${list(unexpected)}, duplicated ${list(duplicates)}`);
}

function list(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.length > 6 ? `${names.slice(0, 6).join(", ")} … (${names.length})` : names.join(", ");
}
