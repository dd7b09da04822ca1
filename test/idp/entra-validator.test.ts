import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { enterprisePath, fetchResource, memberIds } from "./support/entra-requests.js";
import { entraProfile, patchOp, randomGuid, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { expectCreated, expectList, expectNoContent, expectScimError, pathLikeKeys } from "./support/scim-expect.js";
import { expectEverySentAttribute, randomEmail, randomToken, validatorGroupBody, validatorUserBody } from "./support/validator-payloads.js";

/**
 * The Microsoft SCIM Validator's required tests (VAL-01…VAL-24, names as in its result export) and its
 * preview tests, replayed request by request and checked the way the validator checks them.
 */

let harness: IdpHarness;
let validator: IdpClient;

beforeAll(async () => {
  harness = await startIdpHarness();
  validator = await harness.tenant("validator", entraProfile);
});
afterAll(() => harness.close());

async function createUser(body = validatorUserBody()): Promise<{ id: string; body: Record<string, any> }> {
  return { id: expectCreated(await validator.send("POST", "/Users", body)).id, body };
}

async function createGroup(body = validatorGroupBody()): Promise<{ id: string; body: Record<string, any> }> {
  return { id: expectCreated(await validator.send("POST", "/Groups", body)).id, body };
}

/** PATCHes a user, asserts 200, and returns the user as GET /Users/{id} shows it afterwards. */
async function patchUser(id: string, ...operations: Record<string, unknown>[]): Promise<any> {
  const response = await validator.send("PATCH", `/Users/${id}`, patchOp(...operations));
  expect(response.status, response.text).toBe(200);
  const fetched = await fetchResource(validator, "Users", id);
  expect(pathLikeKeys(fetched)).toEqual([]);
  return fetched;
}

describe("Microsoft SCIM Validator: user tests", () => {
  it("VAL-01 Create a new User: 201, then the fetched user has every sent attribute", async () => {
    const body = validatorUserBody();
    const response = await validator.send("POST", "/Users", body);
    const created = expectCreated(response);
    expectEverySentAttribute(created, body);
    const fetched = await fetchResource(validator, "Users", created.id);
    expectEverySentAttribute(fetched, body);
    expect(fetched.roles[0].primary).toBe(true);
    expect(fetched.phoneNumbers[0].primary).toBe(true);
  });

  it("VAL-02 Create a duplicate User: 409", async () => {
    const { body } = await createUser();
    expectScimError(await validator.send("POST", "/Users", validatorUserBody(body.userName)), 409, "uniqueness");
  });

  it("VAL-03 Filter for an existing user: 200 with one result", async () => {
    const { id, body } = await createUser();
    expect(expectList(await validator.filter("Users", `userName eq "${body.userName}"`), 1)[0].id).toBe(id);
  });

  it("VAL-04 Filter for a non-existing user: 200 with no result", async () => {
    expectList(await validator.filter("Users", `userName eq "${randomEmail()}"`), 0);
  });

  it("VAL-05 Filter for an existing user with a different case: 200 with one result", async () => {
    const { id, body } = await createUser();
    expect(expectList(await validator.get(`/Users?filter=userName+eq+"${body.userName.toUpperCase()}"`), 1)[0].id).toBe(id);
  });

  it("VAL-06 Patch User - Replace Attributes: value-filter paths and a path-less replace with dotted and URN keys all apply", async () => {
    const { id, body } = await createUser();
    const email = randomEmail();
    const locality = randomToken();
    const user = await patchUser(
      id,
      { op: "replace", path: 'emails[type eq "work"].value', value: email },
      { op: "replace", path: 'phoneNumbers[type eq "work"].value', value: "07-272-9999" },
      { op: "replace", path: 'addresses[type eq "work"].streetAddress', value: "1 Pier Rd" },
      { op: "replace", path: 'addresses[type eq "work"].locality', value: locality },
      {
        op: "replace",
        value: {
          displayName: "New Display",
          title: "New Title",
          "name.givenName": "Given",
          "name.familyName": "Family",
          preferredLanguage: "nb-NO",
          [enterprisePath("department")]: "New Department",
          [enterprisePath("employeeNumber")]: "42",
        },
      },
    );
    expect(user.emails).toEqual([{ type: "work", value: email, primary: true }]);
    expect(user.phoneNumbers).toEqual([{ ...body.phoneNumbers[0], primary: true, value: "07-272-9999" }, body.phoneNumbers[1], body.phoneNumbers[2]]);
    expect(user.addresses).toEqual([{ ...body.addresses[0], streetAddress: "1 Pier Rd", locality }]);
    expect(user).toMatchObject({ displayName: "New Display", title: "New Title", preferredLanguage: "nb-NO", name: { givenName: "Given", familyName: "Family", formatted: body.name.formatted } });
    expect(user[Urn.EnterpriseUser]).toMatchObject({ department: "New Department", employeeNumber: "42", manager: body[Urn.EnterpriseUser].manager });
  });

  it("VAL-06 Patch User - Replace Attributes: accepts the [primary eq true] variant of the filter paths", async () => {
    const { id } = await createUser();
    const email = randomEmail();
    const user = await patchUser(id, { op: "replace", path: "emails[primary eq true].value", value: email }, { op: "replace", path: "addresses[primary eq true].country", value: "SE" });
    expect(user.emails).toEqual([{ type: "work", value: email, primary: true }]);
    expect(user.addresses[0].country).toBe("SE");
    expect(user.addresses).toHaveLength(1);
  });

  it("VAL-07 Update User userName: a path-less replace of userName renames the user", async () => {
    const { id, body } = await createUser();
    const renamed = randomEmail();
    expect((await patchUser(id, { op: "replace", value: { userName: renamed } })).userName).toBe(renamed);
    expectList(await validator.filter("Users", `userName eq "${body.userName}"`), 0);
    expect(expectList(await validator.filter("Users", `userName eq "${renamed}"`), 1)[0].id).toBe(id);
  });

  it("VAL-08 Patch User - Disable User: the user is still found by id and by filter, with active false present", async () => {
    const { id, body } = await createUser();
    expect((await patchUser(id, { op: "replace", path: "active", value: false })).active).toBe(false);
    const [found] = expectList(await validator.filter("Users", `userName eq "${body.userName}"`), 1);
    expect(found).toMatchObject({ id, active: false });
    const { id: other } = await createUser();
    expect((await patchUser(other, { op: "replace", value: { active: false } })).active).toBe(false);
  });

  it("VAL-09 Patch User - Add Manager: manager.value is set from an object value", async () => {
    const { id } = await createUser({ ...validatorUserBody(), [Urn.EnterpriseUser]: { department: "Ops" } });
    const user = await patchUser(id, { op: "add", path: enterprisePath("manager"), value: { value: "AXTKDLNRKMKT" } });
    expect(user[Urn.EnterpriseUser]).toEqual({ department: "Ops", manager: { value: "AXTKDLNRKMKT" } });
    expect(user).not.toHaveProperty(enterprisePath("manager"));
  });

  it("VAL-10 Patch User - Replace Manager: manager.value changes", async () => {
    const { id, body } = await createUser();
    const user = await patchUser(id, { op: "replace", path: enterprisePath("manager"), value: { value: "CBEQXYNPNAZS" } });
    expect(user[Urn.EnterpriseUser]).toEqual({ ...body[Urn.EnterpriseUser], manager: { value: "CBEQXYNPNAZS" } });
  });

  it("VAL-11 Patch User - Remove Manager: manager is absent and the rest of the extension stays", async () => {
    const { id, body } = await createUser();
    const user = await patchUser(id, { op: "remove", path: enterprisePath("manager") });
    const { manager: _manager, ...rest } = body[Urn.EnterpriseUser];
    expect(user[Urn.EnterpriseUser]).toEqual(rest);
  });

  it("VAL-12 Delete a User: 204, then GET is 404", async () => {
    const { id } = await createUser();
    expectNoContent(await validator.send("DELETE", `/Users/${id}`));
    expectScimError(await validator.get(`/Users/${id}`), 404);
  });
});

describe("Microsoft SCIM Validator: group tests", () => {
  it("VAL-13 Get group by id excluding members: no members key", async () => {
    const { id: userId } = await createUser();
    const { id } = await createGroup();
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "add", path: "members", value: [{ value: userId }] })));
    const group = await fetchResource(validator, "Groups", id, "excludedAttributes=members");
    expect(group).not.toHaveProperty("members");
    expect(group.id).toBe(id);
  });

  it("VAL-14 Filter for existing group excluding members: no members key", async () => {
    const { id, body } = await createGroup();
    const [found] = expectList(await validator.get(`/Groups?excludedAttributes=members&filter=displayName+eq+"${body.displayName}"`), 1);
    expect(found.id).toBe(id);
    expect(found).not.toHaveProperty("members");
  });

  it("VAL-15 Filter for an existing group: one result", async () => {
    const { id, body } = await createGroup();
    expect(expectList(await validator.filter("Groups", `displayName eq "${body.displayName}"`), 1)[0].id).toBe(id);
  });

  it("VAL-16 Filter for a non-existing group: no result", async () => {
    expectList(await validator.filter("Groups", `displayName eq "${randomToken()}"`), 0);
  });

  it("VAL-17 Filter for existing group with different case: one result", async () => {
    const { id, body } = await createGroup();
    expect(expectList(await validator.filter("Groups", `displayName eq "${body.displayName.toLowerCase()}"`), 1)[0].id).toBe(id);
  });

  it("VAL-18 Create a new Group: 201 with the sent displayName and externalId", async () => {
    const body = validatorGroupBody();
    const created = expectCreated(await validator.send("POST", "/Groups", body));
    expect(created).toMatchObject({ displayName: body.displayName, externalId: body.externalId });
    expect(await fetchResource(validator, "Groups", created.id)).toEqual(created);
  });

  it("VAL-19 Create a duplicate Group: 409", async () => {
    const { body } = await createGroup();
    expectScimError(await validator.send("POST", "/Groups", validatorGroupBody(body.displayName)), 409, "uniqueness");
  });

  it("VAL-20 Patch Group - Replace Attributes: a path-less replace of externalId applies", async () => {
    const { id, body } = await createGroup();
    const externalId = randomGuid();
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "replace", value: { externalId } })));
    expect(await fetchResource(validator, "Groups", id)).toMatchObject({ externalId, displayName: body.displayName });
  });

  it("VAL-21 Update Group displayName: a path-less replace of displayName applies", async () => {
    const { id } = await createGroup();
    const displayName = randomToken();
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "replace", value: { displayName } })));
    expect((await fetchResource(validator, "Groups", id)).displayName).toBe(displayName);
    expect(expectList(await validator.filter("Groups", `displayName eq "${displayName}"`), 1)[0].id).toBe(id);
  });

  it("VAL-22 Patch Group - Add Member: the member is present", async () => {
    const { id: userId } = await createUser();
    const { id } = await createGroup();
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "add", path: "members", value: [{ value: userId }] })));
    expect(await memberIds(validator, id)).toEqual([userId]);
  });

  it("VAL-23 Patch Group - Remove Member: the member is absent, by value array and by filter path", async () => {
    const [{ id: first }, { id: second }, { id: third }] = [await createUser(), await createUser(), await createUser()];
    const { id } = await createGroup();
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "add", path: "members", value: [{ value: first }, { value: second }, { value: third }] })));
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "remove", path: "members", value: [{ value: first }] })));
    expectNoContent(await validator.send("PATCH", `/Groups/${id}`, patchOp({ op: "remove", path: `members[value eq "${second}"]` })));
    expect(await memberIds(validator, id)).toEqual([third]);
  });

  it("VAL-24 Delete a Group: 204, then GET is 404", async () => {
    const { id } = await createGroup();
    expectNoContent(await validator.send("DELETE", `/Groups/${id}`));
    expectScimError(await validator.get(`/Groups/${id}`), 404);
  });
});

describe("Microsoft SCIM Validator: preview tests", () => {
  it("VAL-06 preview Patch User - Multiple Ops on different attributes: every op applies", async () => {
    const { id } = await createUser();
    const user = await patchUser(
      id,
      { op: "replace", path: "displayName", value: "Multi Display" },
      { op: "add", path: "nickName", value: "Multi" },
      { op: "remove", path: "title" },
      { op: "replace", path: "name.familyName", value: "Multi-Family" },
    );
    expect(user).toMatchObject({ displayName: "Multi Display", nickName: "Multi", name: { familyName: "Multi-Family" } });
    expect(user).not.toHaveProperty("title");
  });

  it("VAL-06 preview Patch User - Multiple Ops on the same attribute: applied in order, the last one wins", async () => {
    const { id } = await createUser();
    const user = await patchUser(
      id,
      { op: "replace", path: "title", value: "First" },
      { op: "remove", path: "title" },
      { op: "add", path: "title", value: "Last" },
      { op: "add", path: "emails", value: [{ type: "home", value: "home@example.org" }] },
      { op: "remove", path: 'emails[type eq "home"]' },
    );
    expect(user.title).toBe("Last");
    expect(user.emails.map((email: { type: string }) => email.type)).toEqual(["work"]);
  });

  it("VAL-12 preview Delete a non-existent User: 404", async () => {
    expectScimError(await validator.send("DELETE", `/Users/${randomGuid()}`), 404);
  });

  it("VAL-12 preview Delete the same User twice: 204, then 404", async () => {
    const { id } = await createUser();
    expectNoContent(await validator.send("DELETE", `/Users/${id}`));
    expectScimError(await validator.send("DELETE", `/Users/${id}`), 404);
  });

  it("VAL-22, VAL-23 preview Patch Group - Multiple Ops on the same attribute: add then remove a member in one request", async () => {
    const [{ id: kept }, { id: passing }] = [await createUser(), await createUser()];
    const { id } = await createGroup();
    expectNoContent(
      await validator.send(
        "PATCH",
        `/Groups/${id}`,
        patchOp({ op: "add", path: "members", value: [{ value: kept }, { value: passing }] }, { op: "remove", path: "members", value: [{ value: passing }] }),
      ),
    );
    expect(await memberIds(validator, id)).toEqual([kept]);
  });

  it("VAL-24 preview Delete a non-existent Group: 404", async () => {
    expectScimError(await validator.send("DELETE", `/Groups/${randomGuid()}`), 404);
  });

  it("VAL-24 preview Delete the same Group twice: 204, then 404", async () => {
    const { id } = await createGroup();
    expectNoContent(await validator.send("DELETE", `/Groups/${id}`));
    expectScimError(await validator.send("DELETE", `/Groups/${id}`), 404);
  });
});
