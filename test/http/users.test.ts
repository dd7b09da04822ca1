import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patchBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

describe("POST /Users", () => {
  it("creates a user and answers 201 with the stored resource, Location and ETag", async () => {
    const response = await acme.request("POST", "/Users", {
      body: userBody("alex.ng@contoso.example", {
        externalId: "alexng",
        name: { givenName: "Alex", familyName: "Ng" },
        emails: [{ value: "alex.ng@contoso.example", type: "work", primary: true }],
        active: true,
        [enterprise]: { department: "Finance", employeeNumber: "100231" },
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", enterprise],
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    const user = response.body;
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", enterprise]);
    expect(user.userName).toBe("alex.ng@contoso.example");
    expect(user[enterprise]).toEqual({ department: "Finance", employeeNumber: "100231" });
    expect(user.meta.resourceType).toBe("User");
    expect(user.meta.location).toBe(`${acme.baseUrl}/Users/${user.id}`);
    expect(response.headers.get("location")).toBe(user.meta.location);
    expect(response.headers.get("etag")).toBe(user.meta.version);
    expect(user.meta.version).toMatch(/^W\/".+"$/);
    expect(Date.parse(user.meta.created)).not.toBeNaN();
    expect(user.meta.lastModified).toBe(user.meta.created);
  });

  it("never returns the password, on create or later reads (RFC 7643 §4.1.1 returned never)", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("kim.lee@example.org", { password: "r4nd0m-Pw" }) });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain("r4nd0m-Pw");
    expect(created.body.password).toBeUndefined();
    const fetched = await acme.request("GET", `/Users/${created.body.id}?attributes=password`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.password).toBeUndefined();
  });

  it("returns 409 uniqueness when userName differs only by case", async () => {
    const first = await acme.request("POST", "/Users", { body: userBody("ABC@x.io") });
    expect(first.status).toBe(201);
    const second = await acme.request("POST", "/Users", { body: userBody("abc@X.IO") });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "409", scimType: "uniqueness" });
    expect(second.body.detail).toContain("abc@X.IO");
  });

  it("ignores read-only echoes (id, meta, groups, roles: [])", async () => {
    const response = await acme.request("POST", "/Users", {
      body: userBody("echo@example.org", { id: "client-chosen", meta: { resourceType: "User" }, groups: [], roles: [] }),
    });
    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe("client-chosen");
    expect(response.body.roles).toBeUndefined();
  });

  it("rejects a missing userName with 400 invalidValue and writes nothing", async () => {
    const before = await acme.request("GET", "/Users?count=0");
    const response = await acme.request("POST", "/Users", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], displayName: "No Name" } });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
    const after = await acme.request("GET", "/Users?count=0");
    expect(after.body.totalResults).toBe(before.body.totalResults);
  });

  it("rejects unknown attributes of the strict core schema with 400 invalidValue", async () => {
    const response = await acme.request("POST", "/Users", { body: userBody("strict@example.org", { favouriteColour: "blue" }) });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
    expect(response.body.detail).toContain("favouriteColour");
  });

  it("rejects a wrong-typed value with 400 invalidValue", async () => {
    const response = await acme.request("POST", "/Users", { body: userBody("types@example.org", { active: "yes" }) });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
  });

  it("stores string booleans as JSON booleans (ENT-36)", async () => {
    const response = await acme.request("POST", "/Users", { body: userBody("bool@example.org", { active: "False" }) });
    expect(response.status).toBe(201);
    expect(response.body.active).toBe(false);
  });
});

describe("concurrent creates", () => {
  it("gives exactly one 201 and 409 for the rest when 20 requests create one userName at once", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => acme.request("POST", "/Users", { body: userBody("race@example.org") })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const list = await acme.request("GET", `/Users?filter=${encodeURIComponent('userName eq "race@example.org"')}`);
    expect(list.body.totalResults).toBe(1);
  });
});

describe("GET /Users/{id}", () => {
  it("answers 404 for an id with U+0000, and a match on such a userName finds nothing (on PostgreSQL too, which cannot bind it)", async () => {
    const response = await acme.request("GET", "/Users/u%00");
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    const listed = await acme.request("GET", `/Users?filter=${encodeURIComponent('userName eq "alex.ng@contoso.example\\u0000"')}`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("returns the user, honours If-None-Match with 304, and 404 for an unknown id", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("get@example.org") });
    const got = await acme.request("GET", `/Users/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    const notModified = await acme.request("GET", `/Users/${created.body.id}`, { headers: { "if-none-match": got.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    const missing = await acme.request("GET", "/Users/00919288221112222");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: "404", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
    expect(missing.body.detail.length).toBeGreaterThan(0);
  });

  it("applies attributes and excludedAttributes, always keeping id and schemas", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("proj@example.org", { displayName: "Pro J", name: { givenName: "Pro", familyName: "J" } }) });
    const only = await acme.request("GET", `/Users/${created.body.id}?attributes=name.givenName`);
    expect(only.body).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: created.body.id, name: { givenName: "Pro" } });
    const without = await acme.request("GET", `/Users/${created.body.id}?excludedAttributes=displayName,meta,id`);
    expect(without.body.displayName).toBeUndefined();
    expect(without.body.meta).toBeUndefined();
    expect(without.body.id).toBe(created.body.id);
    expect(without.body.userName).toBe("proj@example.org");
  });
});

describe("PUT /Users/{id}", () => {
  it("replaces the resource: omitted attributes are cleared, read-only values ignored (OKT-14)", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("put@example.org", { displayName: "Before", title: "Engineer" }) });
    const body = { ...created.body, displayName: "After", title: undefined, groups: [], meta: { resourceType: "User" } };
    const replaced = await acme.request("PUT", `/Users/${created.body.id}`, { body });
    expect(replaced.status).toBe(200);
    expect(replaced.body.displayName).toBe("After");
    expect(replaced.body.title).toBeUndefined();
    expect(replaced.body.id).toBe(created.body.id);
    expect(replaced.body.meta.version).not.toBe(created.body.meta.version);
    expect(replaced.body.meta.created).toBe(created.body.meta.created);
  });

  it("refuses to change the id with 400 mutability", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("putid@example.org") });
    const response = await acme.request("PUT", `/Users/${created.body.id}`, { body: { ...userBody("putid@example.org"), id: "another-id" } });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("mutability");
  });

  it("answers 412 when If-Match does not match and changes nothing", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("etag@example.org", { displayName: "One" }) });
    const stale = await acme.request("PUT", `/Users/${created.body.id}`, { body: userBody("etag@example.org", { displayName: "Two" }), headers: { "if-match": 'W/"999"' } });
    expect(stale.status).toBe(412);
    const fresh = await acme.request("PUT", `/Users/${created.body.id}`, { body: userBody("etag@example.org", { displayName: "Three" }), headers: { "if-match": created.body.meta.version } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.displayName).toBe("Three");
  });
});

describe("PATCH /Users/{id}", () => {
  it("applies Entra's capitalised ops, value-filter paths and string booleans (ENT-30, ENT-32, ENT-36)", async () => {
    const created = await acme.request("POST", "/Users", {
      body: userBody("patch@example.org", { emails: [{ value: "old@example.org", type: "work", primary: true }], name: { familyName: "Ng" } }),
    });
    const response = await acme.request("PATCH", `/Users/${created.body.id}`, {
      body: patchBody(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "new@example.org" },
        { op: "Replace", path: "name.familyName", value: "Ng-Smith" },
        { op: "Add", path: 'addresses[type eq "work"].formatted', value: "1 Main St, Oslo" },
        { op: "Replace", path: "active", value: "False" },
      ),
    });
    expect(response.status).toBe(200);
    expect(response.body.emails).toEqual([{ value: "new@example.org", type: "work", primary: true }]);
    expect(response.body.name.familyName).toBe("Ng-Smith");
    expect(response.body.addresses).toEqual([{ type: "work", formatted: "1 Main St, Oslo" }]);
    expect(response.body.active).toBe(false);
    const fetched = await acme.request("GET", `/Users/${created.body.id}`);
    expect(fetched.body).toEqual(response.body);
  });

  it("resolves path-less replace keys as dotted and URN paths (ENT-35)", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("pathless@example.org") });
    const response = await acme.request("PATCH", `/Users/${created.body.id}`, {
      body: patchBody({
        op: "replace",
        value: { displayName: "Alex Ng-Smith", "name.givenName": "Alex", [`${enterprise}:employeeNumber`]: "100232" },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.body.displayName).toBe("Alex Ng-Smith");
    expect(response.body.name).toEqual({ givenName: "Alex" });
    expect(response.body[enterprise]).toEqual({ employeeNumber: "100232" });
    expect(Object.keys(response.body).some((key) => key.includes("name."))).toBe(false);
  });

  it("is atomic: when the second operation fails the first is not applied", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("atomic@example.org", { displayName: "Original" }) });
    const response = await acme.request("PATCH", `/Users/${created.body.id}`, {
      body: patchBody({ op: "replace", path: "displayName", value: "Changed" }, { op: "replace", path: "noSuchAttribute", value: "x" }),
    });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidPath");
    const fetched = await acme.request("GET", `/Users/${created.body.id}`);
    expect(fetched.body.displayName).toBe("Original");
    expect(fetched.body.meta.version).toBe(created.body.meta.version);
  });

  it("answers 400 noTarget for remove without a path and 400 mutability for a readOnly target", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("mut@example.org") });
    const noPath = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "remove" }) });
    expect(noPath.status).toBe(400);
    expect(noPath.body.scimType).toBe("noTarget");
    const readOnly = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "replace", path: "id", value: "other" }) });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.scimType).toBe("mutability");
  });

  it("accepts manager as a bare id string and removes it by URN path (ENT-34)", async () => {
    const boss = await acme.request("POST", "/Users", { body: userBody("boss@example.org") });
    const created = await acme.request("POST", "/Users", { body: userBody("report@example.org") });
    const managerPath = `${enterprise}:manager`;
    const set = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "add", path: managerPath, value: boss.body.id }) });
    expect(set.body[enterprise].manager).toEqual({ value: boss.body.id });
    const removed = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "Remove", path: managerPath }) });
    expect(removed.body[enterprise]).toBeUndefined();
  });

  it("accepts a whole-extension add or replace whose value repeats its schemas", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("whole-extension@example.org", { [enterprise]: { schemas: [enterprise], department: "Ops" } }) });
    expect(created.status).toBe(201);
    expect(created.body[enterprise]).toEqual({ department: "Ops" });
    const added = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "add", path: enterprise, value: { schemas: [enterprise], employeeNumber: "7" } }) });
    expect(added.status).toBe(200);
    expect(added.body[enterprise]).toEqual({ department: "Ops", employeeNumber: "7" });
    const replaced = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "replace", path: enterprise, value: { schemas: [enterprise], employeeNumber: "8" } }) });
    expect(replaced.status).toBe(200);
    expect(replaced.body[enterprise]).toEqual({ department: "Ops", employeeNumber: "8" });
  });

  it("setting primary on one email clears it on the others", async () => {
    const created = await acme.request("POST", "/Users", {
      body: userBody("primary@example.org", { emails: [{ value: "a@example.org", type: "work", primary: true }, { value: "b@example.org", type: "home" }] }),
    });
    const response = await acme.request("PATCH", `/Users/${created.body.id}`, { body: patchBody({ op: "replace", path: 'emails[type eq "home"].primary', value: true }) });
    expect(response.status).toBe(200);
    expect(response.body.emails.filter((e: { primary?: boolean }) => e.primary === true)).toEqual([{ value: "b@example.org", type: "home", primary: true }]);
  });
});

describe("DELETE /Users/{id}", () => {
  it("answers 204, then 404 on GET and on a second DELETE, and frees the userName (ENT-38)", async () => {
    const created = await acme.request("POST", "/Users", { body: userBody("gone@example.org") });
    const deleted = await acme.request("DELETE", `/Users/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await acme.request("GET", `/Users/${created.body.id}`)).status).toBe(404);
    expect((await acme.request("DELETE", `/Users/${created.body.id}`)).status).toBe(404);
    expect((await acme.request("POST", "/Users", { body: userBody("GONE@example.org") })).status).toBe(201);
  });
});
