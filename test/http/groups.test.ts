import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupBody, patchBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;
const ids: Record<string, string> = {};

async function memberIds(groupId: string): Promise<string[]> {
  const response = await acme.request("GET", `/Groups/${groupId}`);
  expect(response.status).toBe(200);
  return (response.body.members ?? []).map((m: { value: string }) => m.value).sort();
}

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
  for (const name of ["a", "b", "c", "d"]) {
    const response = await acme.request("POST", "/Users", { body: userBody(`${name}@example.org`, { displayName: `User ${name.toUpperCase()}` }) });
    ids[name] = response.body.id;
  }
});
afterAll(() => server.close());

describe("POST /Groups", () => {
  it("creates a group with Microsoft's extra schema URI and answers with members: [] (ENT-51)", async () => {
    const response = await acme.request("POST", "/Groups", {
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        externalId: "5b8e2a64-0c1d-4a8f-9d7e-3e1f0a2b6c90",
        displayName: "Finance EU",
        meta: { resourceType: "Group" },
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ displayName: "Finance EU", externalId: "5b8e2a64-0c1d-4a8f-9d7e-3e1f0a2b6c90", members: [] });
    expect(response.body.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:Group"]);
  });

  it("creates a group with members and derives User.groups from membership", async () => {
    const response = await acme.request("POST", "/Groups", { body: groupBody("Engineering", { members: [{ value: ids.a }, { value: ids.b, display: "ignored" }] }) });
    expect(response.status).toBe(201);
    expect(response.body.members.map((m: { value: string }) => m.value).sort()).toEqual([ids.a, ids.b].sort());
    const member = response.body.members.find((m: { value: string }) => m.value === ids.a);
    expect(member).toEqual({ value: ids.a, $ref: `${acme.baseUrl}/Users/${ids.a}`, type: "User", display: "User A" });
    const user = await acme.request("GET", `/Users/${ids.a}`);
    expect(user.body.groups).toEqual([{ value: response.body.id, $ref: `${acme.baseUrl}/Groups/${response.body.id}`, display: "Engineering", type: "direct" }]);
  });

  it("returns 409 uniqueness for a displayName that differs only by case", async () => {
    await acme.request("POST", "/Groups", { body: groupBody("Sales") });
    const duplicate = await acme.request("POST", "/Groups", { body: groupBody("SALES") });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.scimType).toBe("uniqueness");
  });

  it("rejects member ids that do not exist in the tenant with 400 and creates nothing", async () => {
    const response = await acme.request("POST", "/Groups", { body: groupBody("Ghosts", { members: [{ value: "no-such-user" }] }) });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
    expect(response.body.detail).toContain("no-such-user");
    const list = await acme.request("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Ghosts"')}`);
    expect(list.body.totalResults).toBe(0);
  });
});

describe("GET /Groups", () => {
  it("matches displayName case-insensitively and drops members with excludedAttributes=members (ENT-50)", async () => {
    const response = await acme.request("GET", `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "engineering"')}`);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0].displayName).toBe("Engineering");
    expect("members" in response.body.Resources[0]).toBe(false);
    const byId = await acme.request("GET", `/Groups/${response.body.Resources[0].id}?excludedAttributes=members`);
    expect("members" in byId.body).toBe(false);
  });

  it("answers membership checks: id eq and members eq (§3.6)", async () => {
    const group = (await acme.request("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`)).body.Resources[0];
    const yes = await acme.request("GET", `/Groups?filter=${encodeURIComponent(`id eq "${group.id}" and members eq "${ids.a}"`)}`);
    expect(yes.body.totalResults).toBe(1);
    const no = await acme.request("GET", `/Groups?filter=${encodeURIComponent(`id eq "${group.id}" and members.value eq "${ids.c}"`)}`);
    expect(no.body.totalResults).toBe(0);
  });
});

describe("PATCH /Groups/{id}", () => {
  it("adds several members in one op, ignores repeats, and answers 204 (ENT-54)", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Patchers") })).body;
    const add = patchBody({ op: "Add", path: "members", value: [{ $ref: null, value: ids.a }, { $ref: null, value: ids.b }, { value: ids.c }] });
    const first = await acme.request("PATCH", `/Groups/${group.id}`, { body: add });
    expect(first.status).toBe(204);
    expect(first.text).toBe("");
    const again = await acme.request("PATCH", `/Groups/${group.id}`, { body: add });
    expect(again.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([ids.a, ids.b, ids.c].sort());
  });

  it("removes only the listed members with Remove + value array, and one member by filter (ENT-55)", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Removers", { members: [{ value: ids.a }, { value: ids.b }, { value: ids.c }] }) })).body;
    await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "Remove", path: "members", value: [{ value: ids.b }] }) });
    expect(await memberIds(group.id)).toEqual([ids.a, ids.c].sort());
    await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "remove", path: `members[value eq "${ids.c}"]` }) });
    expect(await memberIds(group.id)).toEqual([ids.a]);
    await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "remove", path: "members" }) });
    expect(await memberIds(group.id)).toEqual([]);
  });

  it("renames with Okta's id echo and returns the body when attributes are asked for (OKT-22)", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Test Team") })).body;
    const response = await acme.request("PATCH", `/Groups/${group.id}?excludedAttributes=members`, {
      body: patchBody({ op: "replace", value: { id: group.id, displayName: "Test Team Renamed" } }),
    });
    expect(response.status).toBe(200);
    expect(response.body.displayName).toBe("Test Team Renamed");
    const changedId = await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "replace", value: { id: "different", displayName: "X" } }) });
    expect(changedId.status).toBe(400);
    expect(changedId.body.scimType).toBe("mutability");
  });

  it("replaces all members and rejects a member of another tenant", async () => {
    const other = await server.addTenant("other");
    const stranger = (await other.request("POST", "/Users", { body: userBody("stranger@example.org") })).body;
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Replaced", { members: [{ value: ids.a }] }) })).body;
    await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "replace", path: "members", value: [{ value: ids.d }] }) });
    expect(await memberIds(group.id)).toEqual([ids.d]);
    const cross = await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "add", path: "members", value: [{ value: stranger.id }] }) });
    expect(cross.status).toBe(400);
    expect(await memberIds(group.id)).toEqual([ids.d]);
  });

  it("rejects an add naming a missing id or a wrong type with 400 and adds none of the others", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Careful", { members: [{ value: ids.a }] }) })).body;
    const missing = await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "add", path: "members", value: [{ value: ids.b }, { value: "no-such-user" }, { value: ids.a }] }) });
    expect(missing.status).toBe(400);
    expect(missing.body.scimType).toBe("invalidValue");
    expect(missing.body.detail).toContain('"no-such-user"');
    const wrongType = await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "add", path: "members", value: [{ value: ids.c }, { value: ids.d, type: "Group" }] }) });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.detail).toContain("is a User, not a Group");
    expect(await memberIds(group.id)).toEqual([ids.a]);
    expect((await acme.request("GET", `/Groups/${group.id}`)).body.meta.version).toBe(group.meta.version);
  });

  it("bumps the group's version when membership changes", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Versioned") })).body;
    const patched = await acme.request("PATCH", `/Groups/${group.id}`, { body: patchBody({ op: "add", path: "members", value: [{ value: ids.a }] }) });
    expect(patched.headers.get("etag")).not.toBe(group.meta.version);
  });
});

describe("PUT and DELETE /Groups/{id}", () => {
  it("PUT replaces displayName and members", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Put Group", { members: [{ value: ids.a }] }) })).body;
    const response = await acme.request("PUT", `/Groups/${group.id}`, { body: groupBody("Put Group 2", { members: [{ value: ids.b }, { value: ids.c }] }) });
    expect(response.status).toBe(200);
    expect(response.body.displayName).toBe("Put Group 2");
    expect(await memberIds(group.id)).toEqual([ids.b, ids.c].sort());
  });

  it("DELETE answers 204, then 404; deleting a user removes it from groups", async () => {
    const temp = (await acme.request("POST", "/Users", { body: userBody("temp@example.org") })).body;
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Doomed", { members: [{ value: temp.id }, { value: ids.a }] }) })).body;
    await acme.request("DELETE", `/Users/${temp.id}`);
    expect(await memberIds(group.id)).toEqual([ids.a]);
    const after = await acme.request("GET", `/Groups/${group.id}`);
    expect(after.body.meta.version).not.toBe(group.meta.version);
    expect((await acme.request("DELETE", `/Groups/${group.id}`)).status).toBe(204);
    expect((await acme.request("GET", `/Groups/${group.id}`)).status).toBe(404);
    const user = await acme.request("GET", `/Users/${ids.a}`);
    expect(user.body.groups.map((g: { display: string }) => g.display)).not.toContain("Doomed");
  });
});
