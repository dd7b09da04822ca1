import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oktaProfile, patchOp, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { oktaCreateUserBody, oktaFindGroup, oktaFindUser, oktaPushGroup } from "./support/okta-requests.js";
import { storedPasswordIs } from "./support/okta-stored-password.js";
import { readTenantState, type TenantState } from "./support/tenant-state.js";

/**
 * OIN apps deactivate users and change groups by PATCH; App Integration Wizard apps do the same by PUT
 * (OKT-14, OKT-15, OKT-22, OKT-23). The same Okta actions must leave the same directory either way.
 */

/** How one Okta app kind carries out the actions both kinds perform. */
interface AppKind {
  setActive(client: IdpClient, userId: string, active: boolean): Promise<number>;
  pushPassword(client: IdpClient, userId: string, password: string): Promise<number>;
  rename(client: IdpClient, groupId: string, displayName: string): Promise<number>;
  /** Okta's delta: members to take out and members to put in. */
  changeMembers(client: IdpClient, groupId: string, remove: string[], add: string[]): Promise<number>;
  /** Okta's full push: the group has exactly these members afterwards. */
  setMembers(client: IdpClient, groupId: string, members: string[]): Promise<number>;
}

const asMembers = (ids: string[]) => ids.map((value) => ({ value }));

async function putWith(client: IdpClient, path: string, change: (current: Record<string, any>) => Record<string, any>): Promise<number> {
  const current = await client.get(path);
  if (current.status !== 200) throw new Error(`GET ${path} answered ${current.status}`);
  return (await client.send("PUT", path, change(current.body))).status;
}

const oinApp: AppKind = {
  setActive: async (client, id, active) => (await client.send("PATCH", `/Users/${id}`, patchOp({ op: "replace", value: { active } }))).status,
  pushPassword: async (client, id, password) => (await client.send("PATCH", `/Users/${id}`, patchOp({ op: "replace", value: { password } }))).status,
  rename: async (client, id, displayName) => (await client.send("PATCH", `/Groups/${id}`, patchOp({ op: "replace", value: { id, displayName } }))).status,
  async changeMembers(client, id, remove, add) {
    const current = (await client.get(`/Groups/${id}?excludedAttributes=members`)).body;
    const operations: Record<string, unknown>[] = [{ op: "replace", value: { id, displayName: current.displayName } }];
    for (const value of remove) operations.push({ op: "remove", path: `members[value eq "${value}"]` });
    if (add.length > 0) operations.push({ op: "add", path: "members", value: asMembers(add) });
    return (await client.send("PATCH", `/Groups/${id}`, patchOp(...operations))).status;
  },
  setMembers: async (client, id, members) => (await client.send("PATCH", `/Groups/${id}`, patchOp({ op: "replace", path: "members", value: asMembers(members) }))).status,
};

const aiwApp: AppKind = {
  setActive: (client, id, active) => putWith(client, `/Users/${id}`, (current) => ({ ...current, active })),
  pushPassword: (client, id, password) => putWith(client, `/Users/${id}`, (current) => ({ ...current, password })),
  rename: (client, id, displayName) => putWith(client, `/Groups/${id}`, (current) => ({ ...current, displayName })),
  changeMembers: (client, id, remove, add) =>
    putWith(client, `/Groups/${id}`, (current) => {
      const kept = (current.members ?? []).map((member: { value: string }) => member.value).filter((value: string) => !remove.includes(value));
      return { ...current, members: asMembers([...kept, ...add.filter((value) => !kept.includes(value))]) };
    }),
  setMembers: (client, id, members) => putWith(client, `/Groups/${id}`, (current) => ({ ...current, members: asMembers(members) })),
};

let harness: IdpHarness;

beforeAll(async () => {
  harness = await startIdpHarness();
});
afterAll(() => harness.close());

const people = [
  { userName: "ana@example.org", givenName: "Ana", familyName: "Alves", oktaId: "00uana0001" },
  { userName: "ben@example.org", givenName: "Ben", familyName: "Brown", oktaId: "00uben0002" },
  { userName: "cho@example.org", givenName: "Cho", familyName: "Chen", oktaId: "00ucho0003" },
  { userName: "dev@example.org", givenName: "Dev", familyName: "Das", oktaId: "00udev0004" },
];

/** Runs the same Okta session through one app kind and returns the directory it leaves. */
async function runOktaSession(slug: string, app: AppKind): Promise<TenantState> {
  const client = await harness.tenant(slug, oktaProfile);
  const ids: Record<string, string> = {};
  for (const person of people) {
    expect((await oktaFindUser(client, person.userName)).body.totalResults).toBe(0);
    const created = await client.send("POST", "/Users", oktaCreateUserBody(person, "Initial-Pw-1"));
    expect(created.status).toBe(201);
    ids[person.givenName] = created.body.id;
  }
  const id = (name: string) => ids[name]!;
  for (const name of ["Engineering", "Sales"]) {
    expect((await oktaFindGroup(client, name)).body.totalResults).toBe(0);
    ids[name] = (await oktaPushGroup(client, name)).id;
  }

  expect([200, 204]).toContain(await app.setMembers(client, id("Engineering"), [id("Ana"), id("Ben"), id("Cho")]));
  expect([200, 204]).toContain(await app.setMembers(client, id("Sales"), [id("Dev")]));
  expect([200, 204]).toContain(await app.changeMembers(client, id("Engineering"), [id("Ana")], [id("Dev")]));
  expect([200, 204]).toContain(await app.rename(client, id("Sales"), "Sales EMEA"));
  expect(await putWith(client, `/Users/${id("Ben")}`, (current) => ({ ...current, title: "Lead", name: { ...current.name, givenName: "Benjamin" } }))).toBe(200);
  expect(await app.setActive(client, id("Cho"), false)).toBe(200);
  expect(await app.setActive(client, id("Ana"), false)).toBe(200);
  expect(await app.setActive(client, id("Ana"), true)).toBe(200);
  expect(await app.pushPassword(client, id("Ben"), "Rotated-Pw-2")).toBe(200);
  expect([200, 204]).toContain(await app.setMembers(client, id("Sales"), [id("Ana"), id("Ben")]));

  expect(await storedPasswordIs(harness, id("Ben"), "Rotated-Pw-2")).toBe(true);
  expect(await storedPasswordIs(harness, id("Ana"), "Initial-Pw-1")).toBe(true);
  return readTenantState(client);
}

describe("Okta OIN (PATCH) and App Integration Wizard (PUT) apps", () => {
  let oin: TenantState;
  let aiw: TenantState;

  beforeAll(async () => {
    oin = await runOktaSession("okta-oin-app", oinApp);
    aiw = await runOktaSession("okta-aiw-app", aiwApp);
  });

  it("OKT-14, OKT-15: deactivation by path-less PATCH and by GET + PUT leave the same users", () => {
    expect(aiw.users).toEqual(oin.users);
    expect(oin.users["cho@example.org"]).toMatchObject({ active: false, name: { givenName: "Cho", familyName: "Chen" }, externalId: "00ucho0003" });
    expect(oin.users["ana@example.org"]).toMatchObject({ active: true });
    expect(oin.users["ben@example.org"]).toMatchObject({ active: true, title: "Lead", name: { givenName: "Benjamin" } });
  });

  it("OKT-22, OKT-23: renames and membership changes by PATCH and by PUT leave the same groups", () => {
    expect(aiw.groups).toEqual(oin.groups);
    expect(oin.groups).toEqual({
      Engineering: { attributes: expect.objectContaining({ displayName: "Engineering" }), members: ["user:ben@example.org", "user:cho@example.org", "user:dev@example.org"] },
      "Sales EMEA": { attributes: expect.objectContaining({ displayName: "Sales EMEA" }), members: ["user:ana@example.org", "user:ben@example.org"] },
    });
  });

  it("OKT-14: a PUT of a user that echoes its groups keeps its memberships", () => {
    expect(aiw.users["cho@example.org"]?.groups).toEqual(["group:Engineering"]);
    expect(aiw.users["ben@example.org"]?.groups).toEqual(["group:Engineering", "group:Sales EMEA"]);
  });
});
