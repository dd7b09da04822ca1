import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { entraGroupBody, entraUserBody, fetchResource, memberIds, provisionUser } from "./support/entra-requests.js";
import { entraProfile, patchOp, randomGuid, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { expectCreated, expectList, expectNoContent, expectScimError, nullPaths, scimContentType } from "./support/scim-expect.js";

/** Microsoft Entra ID user lifecycle outside PATCH: match, create, read, delete (COMPATIBILITY.md §1.3, ENT-38). */

let harness: IdpHarness;
let entra: IdpClient;

beforeAll(async () => {
  harness = await startIdpHarness();
  entra = await harness.tenant("contoso", entraProfile);
});
afterAll(() => harness.close());

/** The ENT-21 body including the older documented sample's nulls and misspelled extension URN. */
function fullCreateBody(userName: string): Record<string, unknown> {
  return {
    schemas: [Urn.User, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
    externalId: "alexng",
    userName,
    active: true,
    displayName: "Alex Ng",
    emails: [{ primary: true, type: "work", value: userName }],
    phoneNumbers: [{ type: "work", value: "+1 (425) 555-0100 ext. 12" }],
    meta: { resourceType: "User" },
    name: { formatted: "Alex Ng", familyName: "Ng", givenName: "Alex", middleName: null },
    roles: [],
    addresses: null,
    title: null,
    preferredLanguage: "nb-NO",
    [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231", costCenter: null },
  };
}

describe("match, then create (ENT-20, ENT-21)", () => {
  it("ENT-20: finds a user by userName in any case, exactly once, so Entra matches instead of creating", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("Alex.Ng@Contoso.example")));
    for (const probe of ["alex.ng@contoso.example", "ALEX.NG@CONTOSO.EXAMPLE", "Alex.Ng@Contoso.example"]) {
      const resources = expectList(await entra.filter("Users", `userName eq "${probe}"`), 1);
      expect(resources[0].id).toBe(created.id);
      expect(resources[0].userName).toBe("Alex.Ng@Contoso.example");
    }
  });

  it("ENT-20: matches externalId exactly: the same value finds the user, another case does not", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("kim.lee@contoso.example", { externalId: "KimLee-0a21f0f2" })));
    expect(expectList(await entra.filter("Users", 'externalId eq "KimLee-0a21f0f2"'), 1)[0].id).toBe(created.id);
    expectList(await entra.filter("Users", 'externalId eq "kimlee-0a21f0f2"'), 0);
  });

  it("ENT-20: answers the two-attribute match joined by and, the only combination Entra uses", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("sam.roe@contoso.example", { externalId: "samroe" })));
    expect(expectList(await entra.filter("Users", 'userName eq "SAM.ROE@contoso.example" and externalId eq "samroe"'), 1)[0].id).toBe(created.id);
    expectList(await entra.filter("Users", 'userName eq "sam.roe@contoso.example" and externalId eq "other"'), 0);
  });

  it("ENT-20: creates after an empty match, then matches the created user on the next cycle with the same id", async () => {
    const body = entraUserBody("new.hire@contoso.example");
    const first = await provisionUser(entra, body);
    const second = await provisionUser(entra, body);
    expect(second).toBe(first);
    expectList(await entra.filter("Users", 'userName eq "new.hire@contoso.example"'), 1);
  });

  it("ENT-21: creates from the full Entra body (meta, roles: [], nulls, a misspelled extension URN) with 201 and the stored resource", async () => {
    const response = await entra.send("POST", "/Users", fullCreateBody("jo.park@contoso.example"));
    const created = expectCreated(response);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.schemas).toEqual([Urn.User, Urn.EnterpriseUser]);
    expect(created.externalId).toBe("alexng");
    expect(created.meta).toMatchObject({ resourceType: "User", location: `${entra.baseUrl}/Users/${created.id}` });
    expect(Date.parse(created.meta.created)).not.toBeNaN();
    expect(created.meta.lastModified).toBe(created.meta.created);
    expect(response.headers.etag).toBe(created.meta.version);
    expect(nullPaths(created)).toEqual([]);
  });

  it("ENT-21: returns every sent attribute on a later GET, values as sent, and nulls and empty roles as absent", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", fullCreateBody("lee.tan@contoso.example")));
    const fetched = await fetchResource(entra, "Users", created.id);
    expect(fetched).toEqual({
      schemas: [Urn.User, Urn.EnterpriseUser],
      id: created.id,
      externalId: "alexng",
      userName: "lee.tan@contoso.example",
      active: true,
      displayName: "Alex Ng",
      emails: [{ primary: true, type: "work", value: "lee.tan@contoso.example" }],
      phoneNumbers: [{ type: "work", value: "+1 (425) 555-0100 ext. 12" }],
      name: { formatted: "Alex Ng", familyName: "Ng", givenName: "Alex" },
      preferredLanguage: "nb-NO",
      [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231" },
      meta: created.meta,
    });
  });

  it("ENT-21: creates from Microsoft's older documented sample, whose nulls include top-level department and manager", async () => {
    const body = {
      schemas: [Urn.User, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
      externalId: "jyoung",
      userName: "jyoung@contoso.example",
      active: true,
      addresses: null,
      displayName: "Joy Young",
      emails: [{ type: "work", value: "jyoung@Contoso.example", primary: true }],
      meta: { resourceType: "User" },
      name: { familyName: "Young", givenName: "Joy" },
      phoneNumbers: null,
      preferredLanguage: null,
      title: null,
      department: null,
      manager: null,
    };
    const created = expectCreated(await entra.send("POST", "/Users", body));
    const fetched = await fetchResource(entra, "Users", created.id);
    expect(fetched).toEqual({
      schemas: [Urn.User],
      id: created.id,
      externalId: "jyoung",
      userName: "jyoung@contoso.example",
      active: true,
      displayName: "Joy Young",
      emails: [{ type: "work", value: "jyoung@Contoso.example", primary: true }],
      name: { familyName: "Young", givenName: "Joy" },
      meta: created.meta,
    });
  });

  it("ENT-21: stores a top-level department, which only the enterprise extension defines, under the extension", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("dept.top@contoso.example", { department: "Finance" })));
    expect((await fetchResource(entra, "Users", created.id))[Urn.EnterpriseUser]).toEqual({ department: "Finance" });
  });

  it("ENT-21: creates a user whose body lists no extension URN in schemas but carries the enterprise block", async () => {
    const body = { ...entraUserBody("ana.ruiz@contoso.example"), schemas: [Urn.User], [Urn.EnterpriseUser]: { department: "Legal" } };
    const created = expectCreated(await entra.send("POST", "/Users", body));
    expect((await fetchResource(entra, "Users", created.id))[Urn.EnterpriseUser]).toEqual({ department: "Legal" });
  });

  it("ENT-21: rejects an invalid value with 400 invalidValue naming the attribute, and creates nothing", async () => {
    const response = await entra.send("POST", "/Users", entraUserBody("bad.active@contoso.example", { active: "maybe" }));
    expect(expectScimError(response, 400, "invalidValue")).toContain("active");
    expectList(await entra.filter("Users", 'userName eq "bad.active@contoso.example"'), 0);
  });
});

describe("duplicates and reads (ENT-22, ENT-23)", () => {
  it("ENT-22: answers a create whose userName differs only in case with 409 uniqueness, and keeps one user", async () => {
    const original = expectCreated(await entra.send("POST", "/Users", entraUserBody("dup.user@contoso.example")));
    const duplicate = await entra.send("POST", "/Users", entraUserBody("DUP.User@Contoso.Example", { externalId: "other" }));
    expect(expectScimError(duplicate, 409, "uniqueness")).toContain("DUP.User@Contoso.Example");
    const resources = expectList(await entra.filter("Users", 'userName eq "dup.user@contoso.example"'), 1);
    expect(resources[0]).toMatchObject({ id: original.id, externalId: "dup.user" });
  });

  it("ENT-22: the match query finds every user a create would collide with, so Entra matches rather than conflicts", async () => {
    expectCreated(await entra.send("POST", "/Users", entraUserBody("Casey.Poe@contoso.example")));
    const colliding = entraUserBody("casey.poe@CONTOSO.example");
    expectList(await entra.filter("Users", `userName eq "${colliding.userName as string}"`), 1);
  });

  it("ENT-23: answers GET /Users/{id} with 200, the resource and an ETag equal to meta.version", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("by.id@contoso.example")));
    const response = await entra.get(`/Users/${created.id}`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(scimContentType);
    expect(response.body).toEqual(created);
    expect(response.headers.etag).toBe(created.meta.version);
  });

  it("ENT-23: answers an unknown id, in Muster's format or another, with a SCIM 404", async () => {
    for (const id of [randomGuid(), "5171a35d82074e068ce2", "CEC50F275D83C4530A495FCF@834d0e1e5d8235f90a495fda"]) {
      expectScimError(await entra.get(`/Users/${encodeURIComponent(id)}`), 404);
    }
  });
});

describe("delete (ENT-38)", () => {
  it("ENT-38: deletes with 204, then GET is 404, the match query is empty, and a second DELETE is 404", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("leaver@contoso.example")));
    expectNoContent(await entra.send("DELETE", `/Users/${created.id}`));
    expectScimError(await entra.get(`/Users/${created.id}`), 404);
    expectList(await entra.filter("Users", 'userName eq "leaver@contoso.example"'), 0);
    expectScimError(await entra.send("DELETE", `/Users/${created.id}`), 404);
  });

  it("ENT-38: frees the userName at once: a new user with it gets a new id", async () => {
    const first = expectCreated(await entra.send("POST", "/Users", entraUserBody("rehire@contoso.example")));
    expectNoContent(await entra.send("DELETE", `/Users/${first.id}`));
    const second = expectCreated(await entra.send("POST", "/Users", entraUserBody("Rehire@contoso.example")));
    expect(second.id).not.toBe(first.id);
    expect(expectList(await entra.filter("Users", 'userName eq "rehire@contoso.example"'), 1)[0].id).toBe(second.id);
  });

  it("ENT-38: removes a deleted user from the groups that held it, leaving the other members", async () => {
    const staying = expectCreated(await entra.send("POST", "/Users", entraUserBody("stays@contoso.example"))).id;
    const leaving = expectCreated(await entra.send("POST", "/Users", entraUserBody("goes@contoso.example"))).id;
    const group = expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Leavers Test", randomGuid()))).id;
    expectNoContent(await entra.send("PATCH", `/Groups/${group}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: staying }, { $ref: null, value: leaving }] })));
    expectNoContent(await entra.send("DELETE", `/Users/${leaving}`));
    expect(await memberIds(entra, group)).toEqual([staying]);
  });
});
