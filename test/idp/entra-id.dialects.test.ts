import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { entraDefaultDialect, entraDialects, entraFlagDialect, TenantUrlClient, type EntraDialect, type PatchOperation } from "./support/entra-dialects.js";
import { enterprisePath, entraGroupBody, entraUserBody, provisionGroup, provisionUser } from "./support/entra-requests.js";
import { entraProfile, patchOp, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { expectList } from "./support/scim-expect.js";
import { readTenantState, type TenantState } from "./support/tenant-state.js";

/**
 * Entra's two PATCH dialects (ENT-40): every flow runs once as the default client and once with
 * `?aadOptscim062020` in the Tenant URL, each in a fresh tenant, and both must leave the same directory.
 */

let harness: IdpHarness;
let tenants = 0;

beforeAll(async () => {
  harness = await startIdpHarness();
});
afterAll(() => harness.close());

/** One Entra flow, written once against a dialect. */
type Flow = (client: IdpClient, dialect: EntraDialect) => Promise<void>;

/** Sends one PATCH in the dialect's shape and asserts Entra's success codes: 200 for users, 204 for groups. */
async function patch(client: IdpClient, resource: "Users" | "Groups", id: string, operations: PatchOperation[]): Promise<void> {
  const response = await client.send("PATCH", `/${resource}/${id}`, patchOp(...operations));
  expect(response.status, `${JSON.stringify(operations)} → ${response.text}`).toBe(resource === "Users" ? 200 : 204);
}

/** Runs a flow in both dialects, each in its own tenant; asserts equal end states and returns one of them. */
async function inBothDialects(flow: Flow): Promise<TenantState> {
  const states: TenantState[] = [];
  for (const dialect of entraDialects) {
    tenants += 1;
    const client = dialect.connect(await harness.tenant(`dialect-${tenants}`, entraProfile));
    await flow(client, dialect);
    states.push(await readTenantState(client));
  }
  expect(states[1]).toEqual(states[0]);
  return states[0]!;
}

const userUpdates: Flow = async (client, d) => {
  const alex = await provisionUser(client, entraUserBody("alex.ng@contoso.example", { [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231" } }));
  const kim = await provisionUser(client, entraUserBody("kim.lee@contoso.example"));
  await patch(client, "Users", alex, d.replaceAttributes({
    displayName: "Alex Ng-Smith",
    'emails[type eq "work"].value': "alex@new.example",
    "name.givenName": "Alexander",
    "name.familyName": "Ng-Smith",
    externalId: "alexng2",
    [enterprisePath("employeeNumber")]: "100232",
  }));
  await patch(client, "Users", alex, [{ op: d.op("add"), path: "nickName", value: "Lexi" }]);
  await patch(client, "Users", alex, [
    { op: d.op("add"), path: 'addresses[type eq "work"].locality', value: "Oslo" },
    { op: d.op("add"), path: 'phoneNumbers[type eq "mobile"].value', value: "+47 400 00 000" },
  ]);
  await patch(client, "Users", kim, d.replaceAttributes({ userName: "kim.lee2@contoso.example", title: "Controller" }));
  await patch(client, "Users", kim, [{ op: d.op("remove"), path: "title" }]);
};

const disableAndEnable: Flow = async (client, d) => {
  const sam = await provisionUser(client, entraUserBody("sam.roe@contoso.example"));
  const lee = await provisionUser(client, entraUserBody("lee.tan@contoso.example"));
  await patch(client, "Users", sam, d.setActive(false));
  await patch(client, "Users", lee, d.setActive(false));
  await patch(client, "Users", lee, d.setActive(true));
  // Entra's next cycle finds the disabled user by its matching filter (ENT-37).
  expect(expectList(await client.filter("Users", 'userName eq "sam.roe@contoso.example"'), 1)[0].active).toBe(false);
};

const manager: Flow = async (client, d) => {
  const boss = await provisionUser(client, entraUserBody("boss@contoso.example"));
  const deputy = await provisionUser(client, entraUserBody("deputy@contoso.example"));
  const alex = await provisionUser(client, entraUserBody("alex.ng@contoso.example"));
  const kim = await provisionUser(client, entraUserBody("kim.lee@contoso.example"));
  await patch(client, "Users", alex, [{ op: d.op("add"), path: enterprisePath("manager"), value: boss }]);
  await patch(client, "Users", kim, [{ op: d.op("add"), path: enterprisePath("manager"), value: boss }]);
  expectList(await client.filter("Users", `id eq "${alex}" and manager eq "${boss}"`, "attributes=id"), 1);
  await patch(client, "Users", alex, [{ op: d.op("replace"), path: enterprisePath("manager"), value: deputy }]);
  await patch(client, "Users", kim, [{ op: d.op("remove"), path: enterprisePath("manager") }]);
};

const groups: Flow = async (client, d) => {
  const users: string[] = [];
  for (const name of ["alex", "kim", "sam", "lee"]) users.push(await provisionUser(client, entraUserBody(`${name}@contoso.example`)));
  const [alex, kim, sam, lee] = users as [string, string, string, string];
  const finance = await provisionGroup(client, entraGroupBody("Finance EU", "5b8e2a64-0c1d-4a8f-9d7e-3e1f0a2b6c90"));
  const sales = await provisionGroup(client, entraGroupBody("Sales", "9d7e3e1f-0a2b-4c90-5b8e-2a640c1d4a8f"));
  await patch(client, "Groups", finance, [{ op: d.op("add"), path: "members", value: users.map((value) => ({ $ref: null, value })) }]);
  await patch(client, "Groups", sales, [{ op: d.op("add"), path: "members", value: [{ $ref: null, value: kim }] }]);
  await patch(client, "Groups", finance, d.replaceAttributes({ displayName: "Finance Europe" }));
  await patch(client, "Groups", finance, d.removeMembers([kim, sam]));
  await patch(client, "Groups", finance, [{ op: d.op("add"), path: "members", value: [{ $ref: null, value: sales }, { $ref: null, value: alex }] }]);
  await patch(client, "Groups", sales, d.removeMembers([lee]));
};

describe("both PATCH dialects leave the same directory (ENT-40)", () => {
  it("ENT-40, ENT-35: user attribute updates (multi-attribute replace, add, value-filter paths, userName) end in the same state", async () => {
    const state = await inBothDialects(userUpdates);
    expect(state.users["alex.ng@contoso.example"]).toMatchObject({
      displayName: "Alex Ng-Smith",
      externalId: "alexng2",
      nickName: "Lexi",
      name: { givenName: "Alexander", familyName: "Ng-Smith" },
      emails: [{ primary: true, type: "work", value: "alex@new.example" }],
      addresses: [{ type: "work", locality: "Oslo" }],
      phoneNumbers: [{ type: "mobile", value: "+47 400 00 000" }],
      [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100232" },
    });
    expect(state.users["kim.lee2@contoso.example"]).not.toHaveProperty("title");
    expect(state.users).not.toHaveProperty("kim.lee@contoso.example");
  });

  it("ENT-40, ENT-36, ENT-37: disable with \"False\" or false and re-enable with \"True\" or true end in the same state", async () => {
    const state = await inBothDialects(disableAndEnable);
    expect(state.users["sam.roe@contoso.example"]!.active).toBe(false);
    expect(state.users["lee.tan@contoso.example"]!.active).toBe(true);
  });

  it("ENT-40, ENT-34: manager set, replaced and removed ends in the same state", async () => {
    const state = await inBothDialects(manager);
    expect(state.users["alex.ng@contoso.example"]![Urn.EnterpriseUser]).toEqual({ manager: { value: "user:deputy@contoso.example" } });
    expect(state.users["kim.lee@contoso.example"]).not.toHaveProperty(Urn.EnterpriseUser);
  });

  it("ENT-40, ENT-53, ENT-55: group rename and membership changes (value-array removal vs filtered removal) end in the same state", async () => {
    const state = await inBothDialects(groups);
    expect(Object.keys(state.groups).sort()).toEqual(["Finance Europe", "Sales"]);
    expect(state.groups["Finance Europe"]!.members).toEqual(["group:Sales", "user:alex@contoso.example", "user:lee@contoso.example"]);
    expect(state.groups["Sales"]!.members).toEqual(["user:kim@contoso.example"]);
    expect(state.users["kim@contoso.example"]!.groups).toEqual(["group:Sales"]);
  });

  it("ENT-40: the whole lifecycle, all flows in one tenant, ends in the same state", async () => {
    const state = await inBothDialects(async (client, d) => {
      await userUpdates(client, d);
      await disableAndEnable(client, d);
      await groups(client, d);
    });
    expect(Object.keys(state.users)).toHaveLength(8);
  });
});

describe("the dialects on the wire (ENT-40)", () => {
  it("ENT-40: the two dialects send different PATCH bodies for the same change, so equal states are not trivial", () => {
    expect(entraDefaultDialect.setActive(false)).not.toEqual(entraFlagDialect.setActive(false));
    expect(entraDefaultDialect.removeMembers(["u"])).not.toEqual(entraFlagDialect.removeMembers(["u"]));
    expect(entraFlagDialect.replaceAttributes({ displayName: "x", 'emails[type eq "work"].value': "y" })).toEqual([
      { op: "replace", path: 'emails[type eq "work"].value', value: "y" },
      { op: "replace", value: { displayName: "x" } },
    ]);
  });

  it("ENT-40: serves every method on a Tenant URL that carries ?aadOptscim062020, applying the other query parameters", async () => {
    const client = entraFlagDialect.connect(await harness.tenant("flag-url", entraProfile));
    expect(client).toBeInstanceOf(TenantUrlClient);
    expect((client as TenantUrlClient).tenantUrl).toBe(`${client.baseUrl}?aadOptscim062020`);
    const created = await client.send("POST", "/Users", entraUserBody("flag@contoso.example"));
    expect(created.status).toBe(201);
    expect(expectList(await client.filter("Users", 'userName eq "FLAG@contoso.example"'), 1)[0].id).toBe(created.body.id);
    expectList(await client.filter("Users", 'userName eq "other@contoso.example"'), 0);
    const projected = await client.get(`/Users/${created.body.id}?attributes=userName`);
    expect(Object.keys(projected.body).sort()).toEqual(["id", "schemas", "userName"]);
    await patch(client, "Users", created.body.id, entraFlagDialect.setActive(false));
    expect((await client.send("DELETE", `/Users/${created.body.id}`)).status).toBe(204);
    expect((await client.get(`/Users/${created.body.id}`)).status).toBe(404);
  });
});
