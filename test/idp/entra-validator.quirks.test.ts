import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { enterprisePath, fetchResource } from "./support/entra-requests.js";
import { entraProfile, patchOp, randomGuid, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { expectCreated, expectList, expectScimError, nullPaths, pathLikeKeys, scimContentType } from "./support/scim-expect.js";
import { expectEverySentAttribute, randomEmail, randomToken, validatorUserBody, valuesFromSchema, type DiscoveredAttribute } from "./support/validator-payloads.js";

/** The Microsoft SCIM Validator's schema-discovery mode (VAL-00) and its payload quirks (VAL-30). */

let harness: IdpHarness;
let validator: IdpClient;

beforeAll(async () => {
  harness = await startIdpHarness();
  validator = await harness.tenant("validator", entraProfile);
});
afterAll(() => harness.close());

async function discoveredAttributes(urn: string): Promise<DiscoveredAttribute[]> {
  const response = await validator.get(`/Schemas/${urn}`);
  expect(response.status).toBe(200);
  return response.body.attributes as DiscoveredAttribute[];
}

describe("schema discovery mode (VAL-00)", () => {
  it("VAL-00: /ResourceTypes names each endpoint with its schema and extensions, and /Schemas serves each of them", async () => {
    const types = (await validator.get("/ResourceTypes")).body.Resources as Array<{ name: string; endpoint: string; schema: string; schemaExtensions: Array<{ schema: string; required: boolean }> }>;
    const user = types.find((type) => type.name === "User")!;
    expect(user).toMatchObject({ endpoint: "/Users", schema: Urn.User, schemaExtensions: [{ schema: Urn.EnterpriseUser, required: false }] });
    expect(types.find((type) => type.name === "Group")).toMatchObject({ endpoint: "/Groups", schema: Urn.Group });
    for (const urn of [Urn.User, Urn.EnterpriseUser, Urn.Group]) {
      const schema = await validator.get(`/Schemas/${urn}`);
      expect(schema.status, urn).toBe(200);
      expect(schema.body.id).toBe(urn);
      expect(nullPaths(schema.body)).toEqual([]);
    }
  });

  it("VAL-00: creates a user with a value for every writable attribute /Schemas lists, and reads each one back", async () => {
    const body = {
      schemas: [Urn.User, Urn.EnterpriseUser],
      ...valuesFromSchema(await discoveredAttributes(Urn.User)),
      userName: randomEmail(),
      [Urn.EnterpriseUser]: valuesFromSchema(await discoveredAttributes(Urn.EnterpriseUser)),
    };
    expect(Object.keys(body).length).toBeGreaterThan(20);
    const created = expectCreated(await validator.send("POST", "/Users", body));
    expectEverySentAttribute(await fetchResource(validator, "Users", created.id), body);
  });

  it("VAL-00: creates a group from the writable attributes /Schemas lists (members come later by PATCH)", async () => {
    const { members: _members, ...values } = valuesFromSchema(await discoveredAttributes(Urn.Group));
    const body = { schemas: [Urn.Group], ...values, externalId: randomGuid() };
    const created = expectCreated(await validator.send("POST", "/Groups", body));
    expectEverySentAttribute(await fetchResource(validator, "Groups", created.id), body);
  });

  it("VAL-00: replaces every writable simple attribute with one path-less replace keyed by the discovered names, dotted and URN-qualified", async () => {
    const created = expectCreated(await validator.send("POST", "/Users", validatorUserBody()));
    const value: Record<string, string> = {};
    const simple = (attributes: DiscoveredAttribute[], prefix: string) => {
      for (const attribute of attributes) {
        if (attribute.mutability !== "readWrite" || attribute.multiValued) continue;
        if (attribute.type === "string") value[`${prefix}${attribute.name}`] = randomToken();
        if (attribute.type === "complex") for (const sub of attribute.subAttributes ?? []) if (sub.type === "string" && sub.mutability === "readWrite") value[`${prefix}${attribute.name}.${sub.name}`] = randomToken();
      }
    };
    simple(await discoveredAttributes(Urn.User), "");
    simple(await discoveredAttributes(Urn.EnterpriseUser), `${Urn.EnterpriseUser}:`);
    value.userName = randomEmail();
    const response = await validator.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value }));
    expect(response.status, response.text).toBe(200);
    const user = await fetchResource(validator, "Users", created.id);
    expect(pathLikeKeys(user)).toEqual([]);
    for (const [path, expected] of Object.entries(value)) {
      const inExtension = path.startsWith(`${Urn.EnterpriseUser}:`);
      const [attribute, sub] = (inExtension ? path.slice(Urn.EnterpriseUser.length + 1) : path).split(".");
      const holder = inExtension ? user[Urn.EnterpriseUser] : user;
      const actual = sub === undefined ? holder[attribute!] : holder[attribute!][sub];
      expect(actual, path).toBe(expected);
    }
  });
});

describe("payload quirks (VAL-30)", () => {
  const primaryPaths: ReadonlyArray<[string, string, Record<string, unknown>, Record<string, unknown>]> = [
    ["emails", "value", { type: "work", value: "primary@example.org" }, { type: "home", value: "other@example.org" }],
    ["phoneNumbers", "value", { type: "work", value: "1" }, { type: "mobile", value: "2" }],
    ["ims", "value", { type: "xmpp", value: "im1" }, { type: "skype", value: "im2" }],
    ["photos", "value", { type: "photo", value: "https://img.example/1" }, { type: "thumbnail", value: "https://img.example/2" }],
    ["addresses", "formatted", { type: "work", formatted: "1 Main St" }, { type: "home", formatted: "2 Side St" }],
    ["entitlements", "value", { value: "ent1" }, { value: "ent2" }],
    ["roles", "value", { value: "role1", display: "Role 1" }, { value: "role2" }],
    ["x509Certificates", "value", { value: "TUlJQ0FB" }, { value: "TUlJQ0JC" }],
  ];

  for (const [attribute, sub, primary, other] of primaryPaths) {
    it(`VAL-30: replaces ${attribute}[primary eq true].${sub} on the primary element only`, async () => {
      const body = { ...validatorUserBody(), [attribute]: [{ ...other }, { ...primary, primary: "True" }] };
      const created = expectCreated(await validator.send("POST", "/Users", body));
      const replacement = attribute === "x509Certificates" ? "TUlJQ0ND" : `new-${randomToken(6)}`;
      const response = await validator.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: `${attribute}[primary eq true].${sub}`, value: replacement }));
      expect(response.status, response.text).toBe(200);
      const user = await fetchResource(validator, "Users", created.id);
      expect(user[attribute]).toEqual([other, { ...primary, primary: true, [sub]: replacement }]);
    });
  }

  it("VAL-30: creates the element for [primary eq true] when no element is primary yet", async () => {
    const created = expectCreated(await validator.send("POST", "/Users", { ...validatorUserBody(), ims: undefined }));
    const response = await validator.send("PATCH", `/Users/${created.id}`, patchOp({ op: "add", path: "ims[primary eq true].value", value: "im-new" }));
    expect(response.status, response.text).toBe(200);
    expect((await fetchResource(validator, "Users", created.id)).ims).toEqual([{ primary: true, value: "im-new" }]);
  });

  it("VAL-30: accepts \"primary\": \"True\" and \"true\" in POST and PATCH values, returning JSON booleans and one primary per attribute", async () => {
    const body = { ...validatorUserBody(), emails: [{ type: "work", value: "a@example.org", primary: "True" }] };
    const created = expectCreated(await validator.send("POST", "/Users", body));
    expect(created.emails).toEqual([{ type: "work", value: "a@example.org", primary: true }]);
    const response = await validator.send("PATCH", `/Users/${created.id}`, patchOp({ op: "add", path: "emails", value: [{ type: "home", value: "b@example.org", primary: "true" }] }));
    expect(response.status, response.text).toBe(200);
    const emails = (await fetchResource(validator, "Users", created.id)).emails;
    expect(emails).toEqual([{ type: "work", value: "a@example.org", primary: false }, { type: "home", value: "b@example.org", primary: true }]);
  });

  it("VAL-30: stores random preferredLanguage, locale, timezone and profileUrl strings as sent, without validating them", async () => {
    const values = { preferredLanguage: randomToken(), locale: randomToken(), timezone: randomToken(), profileUrl: randomToken() };
    const created = expectCreated(await validator.send("POST", "/Users", { ...validatorUserBody(), ...values }));
    expect(await fetchResource(validator, "Users", created.id)).toMatchObject(values);
    const changed = { preferredLanguage: randomToken(), locale: randomToken(), timezone: "Mars/Olympus_Mons", profileUrl: randomToken() };
    expect((await validator.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: changed }))).status).toBe(200);
    expect(await fetchResource(validator, "Users", created.id)).toMatchObject(changed);
  });

  it("VAL-30: accepts a POST with roles, addresses, three phoneNumbers types and a manager id that exists nowhere, without referential checks", async () => {
    const body = validatorUserBody();
    const managerId = body[Urn.EnterpriseUser].manager.value as string;
    expectList(await validator.filter("Users", `id eq "${managerId}"`), 0);
    const response = await validator.send("POST", "/Users", body);
    const created = expectCreated(response);
    expect(created.phoneNumbers.map((phone: { type: string }) => phone.type)).toEqual(["work", "mobile", "fax"]);
    expect(created.roles).toHaveLength(1);
    expect(created.addresses).toHaveLength(1);
    expect(created[Urn.EnterpriseUser].manager).toEqual({ value: managerId });
    expect(expectList(await validator.filter("Users", `${enterprisePath("manager")}.value eq "${managerId}"`), 1)[0].id).toBe(created.id);
  });

  it("VAL-30: answers creates with 201 (not 200) and every response in application/scim+json", async () => {
    const created = await validator.send("POST", "/Users", validatorUserBody());
    expect(created.status).toBe(201);
    const group = await validator.send("POST", "/Groups", { schemas: [Urn.Group], displayName: randomToken() });
    expect(group.status).toBe(201);
    const responses = [created, group, await validator.get(`/Users/${created.body.id}`), await validator.filter("Users", 'userName eq "x"'), await validator.send("POST", "/Users", validatorUserBody(created.body.userName))];
    for (const response of responses) expect(response.headers["content-type"]).toBe(scimContentType);
  });

  it("VAL-30: keeps a 409 when the validator renames a user to a name and later creates a user with that name (a known validator false negative)", async () => {
    const created = expectCreated(await validator.send("POST", "/Users", validatorUserBody()));
    const name = `y-${randomToken(6)}`;
    expect((await validator.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: { userName: name } }))).status).toBe(200);
    expectScimError(await validator.send("POST", "/Users", validatorUserBody(name)), 409, "uniqueness");
  });
});
