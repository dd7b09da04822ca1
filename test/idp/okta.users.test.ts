import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oktaProfile, patchOp, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { coreUser, errorMessage, listResponse, oktaCreateUserBody, oktaFilterPath, oktaFindUser, oktaProvisionUser, oktaUserId } from "./support/okta-requests.js";
import { storedPasswordIs } from "./support/okta-stored-password.js";

/** Okta's user provisioning, request by request (COMPATIBILITY.md §2.2). */

let harness: IdpHarness;
let okta: IdpClient;

beforeAll(async () => {
  harness = await startIdpHarness();
  okta = await harness.tenant("okta-users", oktaProfile);
});
afterAll(() => harness.close());

describe("Okta existence check", () => {
  it("OKT-10: finds a user by a %40-encoded userName with startIndex=1&count=100, whatever the case", async () => {
    const created = await oktaProvisionUser(okta, { userName: "Kim.Lee@Example.org", givenName: "Kim", familyName: "Lee" });
    for (const query of ["kim.lee@example.org", "Kim.Lee@Example.org", "KIM.LEE@EXAMPLE.ORG"]) {
      const path = oktaFilterPath("Users", `userName eq "${query}"`);
      expect(path).toContain("%40");
      expect(path).toContain("%20eq%20%22");
      const response = await okta.get(path);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ schemas: [listResponse], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      expect(response.body.Resources).toHaveLength(1);
      expect(response.body.Resources[0].id).toBe(created.id);
      expect(response.body.Resources[0].userName).toBe("Kim.Lee@Example.org");
    }
  });

  it("OKT-10: matches only the user asked for, not users whose userName merely contains it", async () => {
    await oktaProvisionUser(okta, { userName: "pat@example.org", givenName: "Pat", familyName: "One" });
    await oktaProvisionUser(okta, { userName: "pat@example.org.uk", givenName: "Pat", familyName: "Two" });
    const response = await oktaFindUser(okta, "pat@example.org");
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0].name.familyName).toBe("One");
  });

  it("OKT-11: answers a userName probe for a missing user with 200 and an empty ListResponse", async () => {
    const response = await oktaFindUser(okta, "nobody.here@example.org");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(response.body).toEqual({ schemas: [listResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });
});

describe("Okta create", () => {
  it("OKT-12: creates a user from Okta's body and answers 201 with the full user, never the password", async () => {
    const body = oktaCreateUserBody({ userName: "ana.silva@example.org", givenName: "Ana", familyName: "Silva", oktaId: "00u8k2abcXYZ" }, "r4nd0m-Pw-1");
    const created = await okta.send("POST", "/Users", body);
    expect(created.status).toBe(201);
    expect(created.text.length).toBeGreaterThan(0);
    expect(created.text).not.toContain("r4nd0m-Pw-1");
    expect(created.body).not.toHaveProperty("password");
    expect(created.body).toMatchObject({
      schemas: [coreUser],
      userName: "ana.silva@example.org",
      name: { givenName: "Ana", familyName: "Silva" },
      emails: [{ primary: true, value: "ana.silva@example.org", type: "work" }],
      displayName: "Ana Silva",
      locale: "en-US",
      externalId: "00u8k2abcXYZ",
      active: true,
      meta: { resourceType: "User" },
    });
    expect(created.body.id).toEqual(expect.any(String));
    expect(created.headers.location).toBe(created.body.meta.location);
    expect(created.body.groups ?? []).toEqual([]);

    const fetched = await okta.get(`/Users/${created.body.id}`);
    const { meta: _createdMeta, ...createdFields } = created.body;
    const { meta: _fetchedMeta, ...fetchedFields } = fetched.body;
    expect(fetchedFields).toEqual(createdFields);
    expect(await storedPasswordIs(harness, created.body.id, "r4nd0m-Pw-1")).toBe(true);
  });

  it("OKT-12: never returns the password on GET, list, filter, .search or an explicit attributes=password", async () => {
    const created = await oktaProvisionUser(okta, { userName: "secret.keeper@example.org", givenName: "Secret", familyName: "Keeper" });
    const responses = [
      await okta.get(`/Users/${created.id}`),
      await okta.get(`/Users/${created.id}?attributes=password,userName`),
      await okta.get("/Users?startIndex=1&count=100"),
      await oktaFindUser(okta, "secret.keeper@example.org"),
      await okta.send("POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "secret.keeper@example.org"' }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.text).not.toMatch(/"password"/i);
      expect(response.text).not.toContain("Pw-");
    }
  });

  it("OKT-12: answers 201 with a body even when the create asks for only some attributes", async () => {
    const body = oktaCreateUserBody({ userName: "narrow@example.org", givenName: "Narrow", familyName: "Body" });
    const created = await okta.send("POST", "/Users?attributes=userName", body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ schemas: [coreUser], id: expect.any(String), userName: "narrow@example.org" });
  });

  it("OKT-12: ignores read-only groups in the create body, even non-empty", async () => {
    const group = await okta.send("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Echoed Group", members: [] });
    const body = { ...oktaCreateUserBody({ userName: "groups.echo@example.org", givenName: "Groups", familyName: "Echo" }), groups: [{ value: group.body.id, display: "Echoed Group" }] };
    const created = await okta.send("POST", "/Users", body);
    expect(created.status).toBe(201);
    expect(created.body.groups ?? []).toEqual([]);
    const fetchedGroup = await okta.get(`/Groups/${group.body.id}`);
    expect(fetchedGroup.body.members ?? []).toEqual([]);
  });

  it("OKT-25: answers a second create of the same userName, in another case, with 409 uniqueness and keeps the first user", async () => {
    const first = await oktaProvisionUser(okta, { userName: "dup.user@example.org", givenName: "First", familyName: "User" });
    const second = await okta.send("POST", "/Users", oktaCreateUserBody({ userName: "Dup.User@Example.org", givenName: "Second", familyName: "User" }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ schemas: [errorMessage], status: "409", scimType: "uniqueness" });
    expect(second.body.detail).toContain("Dup.User@Example.org");
    const lookup = await oktaFindUser(okta, "dup.user@example.org");
    expect(lookup.body.totalResults).toBe(1);
    expect(lookup.body.Resources[0]).toMatchObject({ id: first.id, name: { givenName: "First" } });
  });
});

describe("Okta import", () => {
  let importer: IdpClient;
  const created: string[] = [];

  beforeAll(async () => {
    importer = await harness.tenant("okta-import", oktaProfile);
    const batches = Array.from({ length: 10 }, (_, batch) => batch);
    for (const batch of batches) {
      const users = await Promise.all(
        Array.from({ length: 25 }, (_, i) => {
          const n = String(batch * 25 + i + 1).padStart(3, "0");
          return importer.send("POST", "/Users", { schemas: [coreUser], userName: `import${n}@example.org`, name: { givenName: "Import", familyName: n }, active: true });
        }),
      );
      for (const user of users) {
        expect(user.status).toBe(201);
        created.push(user.body.id);
      }
    }
  });

  /** Okta's import loop: startIndex=1, 101, … until totalResults is reached. */
  async function importAll(count: number): Promise<{ ids: string[]; pageSizes: number[] }> {
    const ids: string[] = [];
    const pageSizes: number[] = [];
    for (let startIndex = 1; ; startIndex += count) {
      const page = await importer.get(`/Users?startIndex=${startIndex}&count=${count}`);
      expect(page.status).toBe(200);
      expect(typeof page.body.totalResults).toBe("number");
      expect(typeof page.body.itemsPerPage).toBe("number");
      expect(typeof page.body.startIndex).toBe("number");
      expect(page.body.startIndex).toBe(startIndex);
      expect(page.body.itemsPerPage).toBe(page.body.Resources.length);
      ids.push(...page.body.Resources.map((user: { id: string }) => user.id));
      pageSizes.push(page.body.itemsPerPage);
      if (startIndex + count > page.body.totalResults) return { ids, pageSizes };
    }
  }

  it("OKT-13: imports 250 users in pages of 100, 100 and 50 with numeric paging fields, no duplicates and no gaps", async () => {
    const { ids, pageSizes } = await importAll(100);
    expect(pageSizes).toEqual([100, 100, 50]);
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort()).toEqual([...created].sort());
  });

  it("OKT-13: keeps the same order whatever the page size and on repeated reads", async () => {
    const byHundred = (await importAll(100)).ids;
    expect((await importAll(7)).ids).toEqual(byHundred);
    expect((await importAll(250)).ids).toEqual(byHundred);
    expect((await importAll(100)).ids).toEqual(byHundred);
  });

  it("OKT-13: answers a page past the end with 200, the total and no resources", async () => {
    const page = await importer.get("/Users?startIndex=301&count=100");
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ schemas: [listResponse], totalResults: 250, startIndex: 301, itemsPerPage: 0, Resources: [] });
  });

  it("OKT-13: pages groups the same way", async () => {
    const groupIds: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const group = await importer.send("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `Import Group ${i}`, members: [] });
      groupIds.push(group.body.id);
    }
    const seen: string[] = [];
    for (const startIndex of [1, 3, 5]) {
      const page = await importer.get(`/Groups?startIndex=${startIndex}&count=2`);
      expect(page.body).toMatchObject({ totalResults: 5, startIndex, itemsPerPage: startIndex === 5 ? 1 : 2 });
      seen.push(...page.body.Resources.map((group: { id: string }) => group.id));
    }
    expect(seen).toEqual(groupIds);
  });
});

describe("Okta profile update (GET, then full PUT)", () => {
  it("OKT-14: takes the whole user back with id, meta and groups: [] echoed, applies the changes and clears what was left out", async () => {
    const created = await oktaProvisionUser(okta, { userName: "put.user@example.org", givenName: "Put", familyName: "User" });
    const current = (await okta.get(`/Users/${created.id}`)).body;
    const { locale: _dropped, ...withoutLocale } = current;
    const body = {
      ...withoutLocale,
      name: { ...current.name, givenName: "Putty" },
      title: "Engineer",
      groups: [],
      meta: { ...current.meta, created: "2001-01-01T00:00:00Z", version: 'W/"999"' },
    };
    const replaced = await okta.send("PUT", `/Users/${created.id}`, body);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: created.id, name: { givenName: "Putty", familyName: "User" }, title: "Engineer", externalId: created.externalId });
    expect(replaced.body).not.toHaveProperty("locale");
    expect(replaced.body).not.toHaveProperty("password");
    expect(replaced.body.meta.created).toBe(created.meta.created);
    expect(replaced.body.meta.version).not.toBe(current.meta.version);
    expect(replaced.body.meta.version).not.toBe('W/"999"');

    const fetched = await okta.get(`/Users/${created.id}`);
    expect(fetched.body).toEqual(replaced.body);
  });

  it("OKT-14: rejects a PUT whose id is another resource's with 400 mutability and leaves the user as it was", async () => {
    const created = await oktaProvisionUser(okta, { userName: "put.wrong.id@example.org", givenName: "Wrong", familyName: "Id" });
    const current = (await okta.get(`/Users/${created.id}`)).body;
    const response = await okta.send("PUT", `/Users/${created.id}`, { ...current, id: "another-id", title: "Changed" });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [errorMessage], status: "400", scimType: "mutability" });
    expect((await okta.get(`/Users/${created.id}`)).body).toEqual(current);
  });

  it("OKT-14: accepts a password in the PUT body, stores it and never returns it", async () => {
    const created = await oktaProvisionUser(okta, { userName: "put.password@example.org", givenName: "Put", familyName: "Password" });
    const current = (await okta.get(`/Users/${created.id}`)).body;
    const replaced = await okta.send("PUT", `/Users/${created.id}`, { ...current, password: "Put-N3w-Secret" });
    expect(replaced.status).toBe(200);
    expect(replaced.text).not.toContain("Put-N3w-Secret");
    expect(await storedPasswordIs(harness, created.id, "Put-N3w-Secret")).toBe(true);
  });
});

describe("Okta deactivation, reactivation and password push (PATCH)", () => {
  it("OKT-15: deactivates and reactivates with a path-less replace of active, changing nothing else", async () => {
    const created = await oktaProvisionUser(okta, { userName: "toggle@example.org", givenName: "Toggle", familyName: "User" });
    const before = (await okta.get(`/Users/${created.id}`)).body;

    const deactivated = await okta.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: { active: false } }));
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    const afterDeactivate = (await okta.get(`/Users/${created.id}`)).body;
    expect(afterDeactivate.active).toBe(false);
    expect({ ...afterDeactivate, active: true, meta: before.meta }).toEqual(before);

    const reactivated = await okta.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: { active: true } }));
    expect(reactivated.status).toBe(200);
    const afterReactivate = (await okta.get(`/Users/${created.id}`)).body;
    expect({ ...afterReactivate, meta: before.meta }).toEqual(before);
  });

  it("OKT-15: takes a password change as a path-less replace, stores it and never returns it", async () => {
    const created = await oktaProvisionUser(okta, { userName: "password.sync@example.org", givenName: "Password", familyName: "Sync" });
    const before = (await okta.get(`/Users/${created.id}`)).body;
    const response = await okta.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: { password: "Synced-Pw-42" } }));
    expect(response.status).toBe(200);
    expect(response.text).not.toContain("Synced-Pw-42");
    expect(response.body).not.toHaveProperty("password");
    expect(await storedPasswordIs(harness, created.id, "Synced-Pw-42")).toBe(true);
    const after = (await okta.get(`/Users/${created.id}`)).body;
    expect({ ...after, meta: before.meta }).toEqual(before);
  });
});

describe("Okta lifecycle without DELETE", () => {
  it("OKT-16: keeps a deactivated user readable, filterable and listed, and holding its userName", async () => {
    const created = await oktaProvisionUser(okta, { userName: "leaver@example.org", givenName: "Leaver", familyName: "Person" });
    expect((await okta.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: { active: false } }))).status).toBe(200);

    const byId = await okta.get(`/Users/${created.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ userName: "leaver@example.org", active: false });

    const byName = await oktaFindUser(okta, "LEAVER@example.org");
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0]).toMatchObject({ id: created.id, active: false });

    const inactive = await okta.get(oktaFilterPath("Users", 'active eq false and userName eq "leaver@example.org"'));
    expect(inactive.body.Resources.map((user: { id: string }) => user.id)).toEqual([created.id]);

    const recreate = await okta.send("POST", "/Users", oktaCreateUserBody({ userName: "leaver@example.org", givenName: "Leaver", familyName: "Again" }));
    expect(recreate.status).toBe(409);

    const reactivated = await okta.send("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", value: { active: true } }));
    expect(reactivated.body).toMatchObject({ id: created.id, active: true, name: { familyName: "Person" } });
  });
});

describe("Okta multi-valued attribute conventions", () => {
  it("OKT-17: stores single emails, phone numbers and addresses sent as one-element arrays with their primary flag", async () => {
    const body = {
      ...oktaCreateUserBody({ userName: "arrays@example.org", givenName: "Array", familyName: "Person" }),
      phoneNumbers: [{ value: "+1 555 0100", type: "mobile", primary: true }],
      addresses: [{ streetAddress: "1 Main St", locality: "Springfield", type: "work", primary: true }],
    };
    const created = await okta.send("POST", "/Users", body);
    expect(created.status).toBe(201);
    const fetched = (await okta.get(`/Users/${created.body.id}`)).body;
    expect(fetched.emails).toEqual([{ primary: true, value: "arrays@example.org", type: "work" }]);
    expect(fetched.phoneNumbers).toEqual([{ value: "+1 555 0100", type: "mobile", primary: true }]);
    expect(fetched.addresses).toEqual([{ streetAddress: "1 Main St", locality: "Springfield", type: "work", primary: true }]);
  });

  it("OKT-17: collapses a repeated value and type pair into one value", async () => {
    const email = { primary: true, value: "twice@example.org", type: "work" };
    const created = await okta.send("POST", "/Users", { ...oktaCreateUserBody({ userName: "twice@example.org", givenName: "Twice", familyName: "Sent" }), emails: [email, { ...email }] });
    expect(created.status).toBe(201);
    expect(created.body.emails).toEqual([email]);
    expect((await okta.get(`/Users/${created.body.id}`)).body.emails).toEqual([email]);
  });

  it("OKT-17: returns a value and type pair once when Okta sends it twice, primary on one copy only", async () => {
    const created = await okta.send("POST", "/Users", {
      ...oktaCreateUserBody({ userName: "pair@example.org", givenName: "Pair", familyName: "Twice" }),
      emails: [
        { primary: true, value: "pair@example.org", type: "work" },
        { value: "PAIR@example.org", type: "work" },
        { value: "pair@example.org", type: "home" },
      ],
    });
    expect(created.status).toBe(201);
    const expected = [
      { primary: true, value: "pair@example.org", type: "work" },
      { value: "pair@example.org", type: "home" },
    ];
    expect(created.body.emails).toEqual(expected);
    expect((await okta.get(`/Users/${created.body.id}`)).body.emails).toEqual(expected);

    const patched = await okta.send("PATCH", `/Users/${created.body.id}`, patchOp({ op: "add", path: "emails", value: [{ value: "pair@example.org", type: "work" }] }));
    expect(patched.status).toBe(200);
    expect((await okta.get(`/Users/${created.body.id}`)).body.emails).toEqual(expected);
  });

  it("OKT-17: rejects a value and type pair sent twice with conflicting sub-attributes, naming the value", async () => {
    const response = await okta.send("POST", "/Users", {
      ...oktaCreateUserBody({ userName: "conflict@example.org", givenName: "Conflicting", familyName: "Pair" }),
      emails: [
        { primary: true, value: "conflict@example.org", type: "work", display: "Office" },
        { value: "conflict@example.org", type: "work", display: "Desk" },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
    expect(response.body.detail).toContain('"conflict@example.org"');
    expect((await oktaFindUser(okta, "conflict@example.org")).body.totalResults).toBe(0);
  });

  it("OKT-17: keeps one primary among several values and finds the user by a non-primary one", async () => {
    const emails = [
      { value: "main@example.org", type: "work", primary: true },
      { value: "home@example.net", type: "home" },
    ];
    const created = await okta.send("POST", "/Users", { ...oktaCreateUserBody({ userName: "main@example.org", givenName: "Two", familyName: "Mails" }), emails });
    expect(created.status).toBe(201);
    expect(created.body.emails).toEqual(emails);
    const byHome = await okta.get(oktaFilterPath("Users", 'emails.value eq "HOME@example.net"'));
    expect(byHome.body.Resources.map((user: { id: string }) => user.id)).toEqual([created.body.id]);
  });

  it("OKT-17: rejects more than one primary value with a detail an Okta admin can act on, and creates nothing", async () => {
    const emails = [
      { value: "first@example.org", type: "work", primary: true },
      { value: "second@example.org", type: "home", primary: true },
    ];
    const response = await okta.send("POST", "/Users", { ...oktaCreateUserBody({ userName: "two.primaries@example.org", givenName: "Two", familyName: "Primaries" }), emails });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [errorMessage], status: "400", scimType: "invalidValue" });
    expect(response.body.detail).toMatch(/emails/);
    expect(response.body.detail).toMatch(/primary/);
    expect((await oktaFindUser(okta, "two.primaries@example.org")).body.totalResults).toBe(0);
  });

  it("OKT-17: rejects more than one primary value in a PUT and leaves the user unchanged", async () => {
    const created = await oktaProvisionUser(okta, { userName: "put.primaries@example.org", givenName: "Put", familyName: "Primaries" });
    const current = (await okta.get(`/Users/${created.id}`)).body;
    const emails = [...current.emails, { value: "other@example.org", type: "home", primary: true }];
    const response = await okta.send("PUT", `/Users/${created.id}`, { ...current, emails });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/primary/);
    expect((await okta.get(`/Users/${created.id}`)).body).toEqual(current);
  });

  it("OKT-17: validates values Okta does not check and names the attribute in the error", async () => {
    const response = await okta.send("POST", "/Users", { ...oktaCreateUserBody({ userName: "bad.active@example.org", givenName: "Bad", familyName: "Active" }), active: "sometimes" });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
    expect(response.body.detail).toContain("active");
    expect((await oktaFindUser(okta, "bad.active@example.org")).body.totalResults).toBe(0);
  });

  it("OKT-17: ignores groups, which is reserved and read-only on User, in a PUT", async () => {
    const created = await oktaProvisionUser(okta, { userName: "put.groups@example.org", givenName: "Put", familyName: "Groups" });
    const current = (await okta.get(`/Users/${created.id}`)).body;
    const response = await okta.send("PUT", `/Users/${created.id}`, { ...current, groups: [{ value: oktaUserId(), display: "Imaginary" }] });
    expect(response.status).toBe(200);
    expect(response.body.groups ?? []).toEqual([]);
  });
});
