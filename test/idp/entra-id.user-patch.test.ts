import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { enterprisePath, entraUserBody, fetchResource } from "./support/entra-requests.js";
import { entraProfile, patchOp, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { expectCreated, expectList, expectScimError, pathLikeKeys, scimContentType } from "./support/scim-expect.js";

/** Microsoft Entra ID user updates by PATCH, in the shapes of COMPATIBILITY.md §1.4, checked through GET. */

let harness: IdpHarness;
let entra: IdpClient;
let sequence = 0;

beforeAll(async () => {
  harness = await startIdpHarness();
  entra = await harness.tenant("contoso", entraProfile);
});
afterAll(() => harness.close());

/** The three shapes in which Entra sends a manager (ENT-34): live traffic, the validator, the old documented sample. */
const managerShapes: ReadonlyArray<[string, (managerId: string, baseUrl: string) => unknown]> = [
  ["a bare string id", (managerId) => managerId],
  ["an object with value", (managerId) => ({ value: managerId })],
  ["a one-element list with value and $ref", (managerId, baseUrl) => [{ $ref: `${baseUrl}/Users/${managerId}`, value: managerId }]],
];

/** Creates a fresh user with Entra's default body plus `extra`; returns its id. */
async function newUser(extra: Record<string, unknown> = {}): Promise<string> {
  sequence += 1;
  return expectCreated(await entra.send("POST", "/Users", entraUserBody(`user${sequence}@contoso.example`, extra))).id;
}

/** PATCHes a user, asserts 200 with the full resource in SCIM JSON, and returns the user as a later GET sees it. */
async function patchUser(id: string, ...operations: Record<string, unknown>[]): Promise<any> {
  const response = await entra.send("PATCH", `/Users/${id}`, patchOp(...operations));
  expect(response.status, response.text).toBe(200);
  expect(response.headers["content-type"]).toBe(scimContentType);
  const fetched = await fetchResource(entra, "Users", id);
  expect(response.body).toEqual(fetched);
  expect(pathLikeKeys(fetched)).toEqual([]);
  return fetched;
}

describe("operation names and simple paths (ENT-30, ENT-31, ENT-33)", () => {
  it.each(["Add", "add", "ADD"])("ENT-30: applies op %s", async (op) => {
    const id = await newUser();
    expect((await patchUser(id, { op, path: "title", value: `Engineer ${op}` })).title).toBe(`Engineer ${op}`);
  });

  it.each(["Replace", "replace", "REPLACE", "rePlace"])("ENT-30: applies op %s", async (op) => {
    const id = await newUser();
    expect((await patchUser(id, { op, path: "displayName", value: `Renamed ${op}` })).displayName).toBe(`Renamed ${op}`);
  });

  it.each(["Remove", "remove", "REMOVE"])("ENT-30: applies op %s", async (op) => {
    const id = await newUser({ title: "Intern" });
    expect(await patchUser(id, { op, path: "title" })).not.toHaveProperty("title");
  });

  it("ENT-30: answers an unknown op with 400 invalidSyntax naming it, and changes nothing", async () => {
    const id = await newUser();
    const before = await fetchResource(entra, "Users", id);
    const response = await entra.send("PATCH", `/Users/${id}`, patchOp({ op: "Merge", path: "title", value: "x" }));
    expect(expectScimError(response, 400, "invalidSyntax")).toContain("Merge");
    expect(await fetchResource(entra, "Users", id)).toEqual(before);
  });

  it("ENT-31: replaces userName by path; the old name no longer matches and the new one does", async () => {
    const id = await newUser();
    const user = await patchUser(id, { op: "Replace", path: "userName", value: "5b50642d@contoso.example" });
    expect(user.userName).toBe("5b50642d@contoso.example");
    expectList(await entra.filter("Users", `userName eq "user${sequence}@contoso.example"`), 0);
    expect(expectList(await entra.filter("Users", 'userName eq "5B50642D@contoso.example"'), 1)[0].id).toBe(id);
  });

  it("ENT-31: changes only the case of a userName without colliding with the user itself", async () => {
    const id = await newUser();
    const user = await patchUser(id, { op: "Replace", path: "userName", value: `USER${sequence}@Contoso.example` });
    expect(user.userName).toBe(`USER${sequence}@Contoso.example`);
  });

  it("ENT-31: answers a userName replace that collides with another user by 409 uniqueness and keeps the old name", async () => {
    const taken = await newUser();
    const takenName = `user${sequence}@contoso.example`;
    const id = await newUser();
    const response = await entra.send("PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "userName", value: takenName.toUpperCase() }));
    expectScimError(response, 409, "uniqueness");
    expect((await fetchResource(entra, "Users", id)).userName).toBe(`user${sequence}@contoso.example`);
    expect((await fetchResource(entra, "Users", taken)).userName).toBe(takenName);
  });

  it("ENT-33: adds a previously empty single-valued attribute with Add and with add", async () => {
    const id = await newUser();
    expect((await patchUser(id, { op: "Add", path: "nickName", value: "Babs" })).nickName).toBe("Babs");
    expect((await patchUser(id, { op: "add", path: "nickName", value: "Lexi" })).nickName).toBe("Lexi");
  });
});

describe("value-filter paths of Microsoft's mapping table (ENT-32)", () => {
  it("ENT-32: replaces the work email in place, keeping type and primary, with no second work element", async () => {
    const id = await newUser();
    const user = await patchUser(id, { op: "Replace", path: 'emails[type eq "work"].value', value: "updated@contoso.example" }, { op: "Replace", path: "name.familyName", value: "Ng-Smith" });
    expect(user.emails).toEqual([{ primary: true, type: "work", value: "updated@contoso.example" }]);
    expect(user.name.familyName).toBe("Ng-Smith");
    expect(user.name.givenName).toBe(`user${sequence}`);
    expect(expectList(await entra.filter("Users", 'emails[type eq "work"].value eq "updated@contoso.example"'), 1)[0].id).toBe(id);
  });

  it.each(["work", "mobile", "fax"])("ENT-32: creates phoneNumbers[type eq \"%s\"].value with Add, then updates that one element with Replace", async (type) => {
    const id = await newUser({ phoneNumbers: [{ type: "home", value: "+47 22 00 00 00" }] });
    const path = `phoneNumbers[type eq "${type}"].value`;
    const added = await patchUser(id, { op: "Add", path, value: "+1 425 555 0100" });
    expect(added.phoneNumbers).toEqual([{ type: "home", value: "+47 22 00 00 00" }, { type, value: "+1 425 555 0100" }]);
    const replaced = await patchUser(id, { op: "Replace", path, value: "+1 425 555 0199" });
    expect(replaced.phoneNumbers).toEqual([{ type: "home", value: "+47 22 00 00 00" }, { type, value: "+1 425 555 0199" }]);
    const addedAgain = await patchUser(id, { op: "Add", path, value: "+1 425 555 0142" });
    expect(addedAgain.phoneNumbers).toEqual([{ type: "home", value: "+47 22 00 00 00" }, { type, value: "+1 425 555 0142" }]);
  });

  it("ENT-32: creates one work address from five sub-attribute Adds in one request, then replaces each in place", async () => {
    const id = await newUser();
    const parts = { streetAddress: "1 Main St", locality: "Oslo", region: "Oslo", postalCode: "0150", country: "NO" };
    const added = await patchUser(id, ...Object.entries(parts).map(([sub, value]) => ({ op: "Add", path: `addresses[type eq "work"].${sub}`, value })));
    expect(added.addresses).toEqual([{ type: "work", ...parts }]);
    const moved = { streetAddress: "2 Pier Rd", locality: "Bergen", region: "Vestland", postalCode: "5003", country: "NO" };
    const replaced = await patchUser(id, ...Object.entries(moved).map(([sub, value]) => ({ op: "Replace", path: `addresses[type eq "work"].${sub}`, value })));
    expect(replaced.addresses).toEqual([{ type: "work", ...moved }]);
  });

  it("ENT-32: creates the element when Replace names a work address that does not exist yet", async () => {
    const id = await newUser();
    const user = await patchUser(id, { op: "Replace", path: 'addresses[type eq "work"].locality', value: "Tromsø" });
    expect(user.addresses).toEqual([{ type: "work", locality: "Tromsø" }]);
  });

  it("ENT-32: accepts the capitalised addresses[type eq \"other\"].Formatted and emails[type eq \"other\"].Value of the mapping table", async () => {
    const id = await newUser();
    const user = await patchUser(
      id,
      { op: "Add", path: 'addresses[type eq "other"].Formatted', value: "PO Box 1, Oslo" },
      { op: "Add", path: 'emails[type eq "other"].Value', value: "private@example.org" },
    );
    expect(user.addresses).toEqual([{ type: "other", formatted: "PO Box 1, Oslo" }]);
    expect(user.emails).toEqual([
      { primary: true, type: "work", value: `user${sequence}@contoso.example` },
      { type: "other", value: "private@example.org" },
    ]);
    const again = await patchUser(id, { op: "Replace", path: 'emails[type eq "other"].Value', value: "private2@example.org" });
    expect(again.emails[1]).toEqual({ type: "other", value: "private2@example.org" });
    expect(again.emails).toHaveLength(2);
  });

  it("ENT-32: adds the MS-SCIM sample's work address beside an updated work email and family name in one request", async () => {
    const id = await newUser();
    const user = await patchUser(
      id,
      { op: "Replace", path: 'emails[type eq "work"].value', value: "alex@new.example" },
      { op: "Replace", path: "name.familyName", value: "Ng-Smith" },
      { op: "Add", path: 'addresses[type eq "work"].formatted', value: "1 Main St, Oslo" },
    );
    expect(user.emails).toEqual([{ primary: true, type: "work", value: "alex@new.example" }]);
    expect(user.addresses).toEqual([{ type: "work", formatted: "1 Main St, Oslo" }]);
    expect(user.name.familyName).toBe("Ng-Smith");
  });

  it("ENT-32: removes only the element a value filter selects", async () => {
    const id = await newUser({ phoneNumbers: [{ type: "work", value: "1" }, { type: "mobile", value: "2" }] });
    const user = await patchUser(id, { op: "Remove", path: 'phoneNumbers[type eq "mobile"]' });
    expect(user.phoneNumbers).toEqual([{ type: "work", value: "1" }]);
  });
});

describe("enterprise extension and manager (ENT-34)", () => {
  it("ENT-34: sets employeeNumber by its URN path under the extension key, never as a literal key", async () => {
    const id = await newUser({ [Urn.EnterpriseUser]: { department: "Finance" } });
    const user = await patchUser(id, { op: "Replace", path: enterprisePath("employeeNumber"), value: "100232" });
    expect(user[Urn.EnterpriseUser]).toEqual({ department: "Finance", employeeNumber: "100232" });
    expect(user.schemas).toEqual([Urn.User, Urn.EnterpriseUser]);
  });

  it.each(managerShapes)("ENT-34: stores manager given as %s as manager.value, with nothing else beside it", async (_shape, valueOf) => {
    const managerId = await newUser();
    const id = await newUser();
    const user = await patchUser(id, { op: "Add", path: enterprisePath("manager"), value: valueOf(managerId, entra.baseUrl) });
    const { $ref, ...rest } = user[Urn.EnterpriseUser].manager;
    expect(rest).toEqual({ value: managerId });
    if ($ref !== undefined) expect($ref).toBe(`${entra.baseUrl}/Users/${managerId}`);
  });

  it("ENT-34, ENT-35: sets the manager from a bare string under its URN key in a path-less replace", async () => {
    const managerId = await newUser();
    const id = await newUser();
    const user = await patchUser(id, { op: "replace", value: { displayName: "Managed", [enterprisePath("manager")]: managerId } });
    expect(user[Urn.EnterpriseUser]).toEqual({ manager: { value: managerId } });
    expect(user.displayName).toBe("Managed");
  });

  it("ENT-34: stores the old documented form that names manager without its URN", async () => {
    const managerId = await newUser();
    const id = await newUser();
    const user = await patchUser(id, { op: "Add", path: "manager", value: [{ $ref: null, value: managerId }] });
    expect(user[Urn.EnterpriseUser]).toEqual({ manager: { value: managerId } });
  });

  it("ENT-34: changes the manager with a later bare-string Replace, then removes it by URN path", async () => {
    const first = await newUser();
    const second = await newUser();
    const id = await newUser({ [Urn.EnterpriseUser]: { department: "Sales" } });
    await patchUser(id, { op: "Add", path: enterprisePath("manager"), value: first });
    expect((await patchUser(id, { op: "Replace", path: enterprisePath("manager"), value: second }))[Urn.EnterpriseUser]).toEqual({ department: "Sales", manager: { value: second } });
    expect((await patchUser(id, { op: "Remove", path: enterprisePath("manager") }))[Urn.EnterpriseUser]).toEqual({ department: "Sales" });
  });

  it("ENT-34: answers the reference check id eq \"x\" and manager eq \"y\" with the user only when y is its manager", async () => {
    const managerId = await newUser();
    const otherId = await newUser();
    const id = await newUser();
    await patchUser(id, { op: "Add", path: enterprisePath("manager"), value: managerId });
    expect(expectList(await entra.filter("Users", `id eq "${id}" and manager eq "${managerId}"`), 1)[0].id).toBe(id);
    expectList(await entra.filter("Users", `id eq "${id}" and manager eq "${otherId}"`), 0);
    expect(expectList(await entra.filter("Users", `id eq "${id}" and ${enterprisePath("manager")}.value eq "${managerId}"`), 1)[0].id).toBe(id);
  });
});

describe("path-less replace (ENT-35)", () => {
  it("ENT-35: resolves every key of a path-less replace as a path: plain, dotted and full URN", async () => {
    const id = await newUser({ [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231" } });
    const user = await patchUser(
      id,
      { op: "replace", path: 'emails[type eq "work"].value', value: "alex@new.example" },
      {
        op: "replace",
        value: { displayName: "Alex Ng-Smith", "name.givenName": "Alex", "name.familyName": "Ng-Smith", [enterprisePath("employeeNumber")]: "100232" },
      },
    );
    expect(user.displayName).toBe("Alex Ng-Smith");
    expect(user.name).toEqual({ formatted: `user${sequence} Test`, givenName: "Alex", familyName: "Ng-Smith" });
    expect(user.emails).toEqual([{ primary: true, type: "work", value: "alex@new.example" }]);
    expect(user[Urn.EnterpriseUser]).toEqual({ department: "Finance", employeeNumber: "100232" });
  });

  it("ENT-35: resolves path keys in any case and a key that names the extension block itself", async () => {
    const id = await newUser();
    const user = await patchUser(id, {
      op: "Replace",
      value: { "NAME.GIVENNAME": "Sam", [Urn.EnterpriseUser]: { costCenter: "CC-7" }, externalId: "samx" },
    });
    expect(user.name.givenName).toBe("Sam");
    expect(user[Urn.EnterpriseUser]).toEqual({ costCenter: "CC-7" });
    expect(user.externalId).toBe("samx");
  });
});

describe("booleans and the disable flow (ENT-36, ENT-37)", () => {
  it.each([
    ["False", false],
    ["false", false],
    [false, false],
    ["FALSE", false],
    ["True", true],
    ["true", true],
    [true, true],
  ])("ENT-36: stores active given as %j as the JSON boolean %s", async (value, expected) => {
    const id = await newUser({ active: !expected });
    const response = await entra.send("PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value }));
    expect(response.status).toBe(200);
    expect(response.text).toContain(`"active":${String(expected)}`);
    expect((await fetchResource(entra, "Users", id)).active).toBe(expected);
  });

  it("ENT-36: stores \"False\" given in a path-less replace as false", async () => {
    const id = await newUser();
    expect((await patchUser(id, { op: "Replace", value: { active: "False" } })).active).toBe(false);
  });

  it("ENT-36: rejects a string that is not a boolean with 400 invalidValue and keeps the user active", async () => {
    const id = await newUser();
    expect(expectScimError(await entra.send("PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value: "no" })), 400, "invalidValue")).toContain("active");
    expect((await fetchResource(entra, "Users", id)).active).toBe(true);
  });

  it("ENT-37: disables with Replace active \"False\"; the user stays readable by id and by the matching filter with active false", async () => {
    const id = await newUser();
    const userName = `user${sequence}@contoso.example`;
    const disabled = await patchUser(id, { op: "Replace", path: "active", value: "False" });
    expect(disabled.active).toBe(false);
    const [found] = expectList(await entra.filter("Users", `userName eq "${userName}"`), 1);
    expect(found).toMatchObject({ id, active: false });
    expect(expectList(await entra.filter("Users", `externalId eq "user${sequence}"`), 1)[0].active).toBe(false);
    expect(expectList(await entra.filter("Users", `userName eq "${userName}" and active eq false`), 1)[0].id).toBe(id);
  });

  it("ENT-37: answers a repeated disable with 200, never 404 or 409", async () => {
    const id = await newUser();
    await patchUser(id, { op: "Replace", path: "active", value: "False" });
    expect((await patchUser(id, { op: "Replace", path: "active", value: "False" })).active).toBe(false);
  });

  it("ENT-37: re-enables a disabled user with \"True\" and keeps every other attribute", async () => {
    const id = await newUser({ title: "Analyst" });
    const before = await fetchResource(entra, "Users", id);
    await patchUser(id, { op: "Replace", path: "active", value: "False" });
    const enabled = await patchUser(id, { op: "Replace", path: "active", value: "True" });
    expect({ ...enabled, meta: undefined }).toEqual({ ...before, meta: undefined });
    expect(enabled.meta.version).not.toBe(before.meta.version);
  });

  it("ENT-37: updates a disabled user's attributes while it stays disabled", async () => {
    const id = await newUser();
    await patchUser(id, { op: "Replace", path: "active", value: false });
    const user = await patchUser(id, { op: "Replace", path: "title", value: "Alumnus" });
    expect(user).toMatchObject({ active: false, title: "Alumnus" });
  });
});
