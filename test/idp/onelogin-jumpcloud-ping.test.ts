import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patchOp, pingProfile, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { coreGroup, coreUser, errorMessage, groupIdsOf, listResponse, memberIdsOf } from "./support/okta-requests.js";
import { googleWorkspaceProfile, jumpCloudProfile, oneLoginProfile } from "./support/other-profiles.js";
import type { RawResponse } from "./support/raw-client.js";
import { readTenantState } from "./support/tenant-state.js";

/** OneLogin, JumpCloud, PingFederate and Google Workspace, as COMPATIBILITY.md §3 describes their traffic. */

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let harness: IdpHarness;

beforeAll(async () => {
  harness = await startIdpHarness();
});
afterAll(() => harness.close());

/** A client error an admin can act on: 4xx (never 500), a SCIM Error body, and a detail naming `mentions`. */
function expectClearRejection(response: RawResponse, scimType: string, mentions: string): void {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ schemas: [errorMessage], status: "400", scimType });
  expect(response.body.detail).toContain(mentions);
}

async function userCount(client: IdpClient): Promise<number> {
  return (await client.get("/Users?count=0")).body.totalResults;
}

describe("OneLogin SCIM JSON templates", () => {
  let onelogin: IdpClient;
  let managerId = "";

  beforeAll(async () => {
    onelogin = await harness.tenant("onelogin", oneLoginProfile);
    const manager = await onelogin.send("POST", "/Users", { schemas: [coreUser], userName: "boss@example.org", active: true });
    managerId = manager.body.id;
  });

  /** The published "SCIM v2 Enterprise" template once OneLogin has filled its placeholders. */
  function filledTemplate(userName: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      schemas: [coreUser, enterprise],
      id: null,
      userName,
      name: { givenName: "Olga", familyName: "Login" },
      emails: [{ value: userName, type: "work", primary: "true" }],
      active: "true",
      title: "Analyst",
      [enterprise]: { department: "Finance", employeeNumber: 4711, manager: { value: managerId } },
      ...overrides,
    };
  }

  it("creates a user from a filled template with string booleans, id: null, a numeric employeeNumber and manager as {value}", async () => {
    const created = await onelogin.send("POST", "/Users", filledTemplate("olga@example.org"));
    expect(created.status).toBe(201);
    expect(created.body.id).toEqual(expect.any(String));
    const fetched = (await onelogin.get(`/Users/${created.body.id}`)).body;
    expect(fetched).toMatchObject({
      userName: "olga@example.org",
      active: true,
      emails: [{ value: "olga@example.org", type: "work", primary: true }],
      [enterprise]: { department: "Finance", employeeNumber: "4711", manager: { value: managerId } },
    });
  });

  it("stores active \"false\" from the template as the boolean false", async () => {
    const created = await onelogin.send("POST", "/Users", filledTemplate("inactive.olga@example.org", { active: "false" }));
    expect(created.status).toBe(201);
    expect((await onelogin.get(`/Users/${created.body.id}`)).body.active).toBe(false);
    const inactive = await onelogin.filter("Users", 'active eq false and userName eq "inactive.olga@example.org"');
    expect(inactive.body.totalResults).toBe(1);
  });

  it("accepts a template that lists the SCIM 1.0 core URN in schemas and answers with the 2.0 URN", async () => {
    const created = await onelogin.send("POST", "/Users", { ...filledTemplate("legacy.urn@example.org"), schemas: ["urn:scim:schemas:core:1.0"] });
    expect(created.status).toBe(201);
    expect(created.body.schemas).toContain(coreUser);
    expect(created.body.schemas).not.toContain("urn:scim:schemas:core:1.0");
    expect((await onelogin.get(`/Users/${created.body.id}`)).body.userName).toBe("legacy.urn@example.org");
  });

  it("keeps placeholders that OneLogin filled with an empty string as empty strings", async () => {
    const created = await onelogin.send("POST", "/Users", filledTemplate("blank.title@example.org", { title: "" }));
    expect(created.status).toBe(201);
    expect((await onelogin.get(`/Users/${created.body.id}`)).body.title).toBe(created.body.title);
  });

  it("rejects a SCIM 1.0 extension block with a 400 that names it, and creates nothing", async () => {
    const before = await userCount(onelogin);
    const { [enterprise]: _extension, ...core } = filledTemplate("v1.extension@example.org");
    const response = await onelogin.send("POST", "/Users", { ...core, "urn:scim:schemas:extension:enterprise:1.0": { department: "Finance" } });
    expectClearRejection(response, "invalidValue", "urn:scim:schemas:extension:enterprise:1.0");
    expect(await userCount(onelogin)).toBe(before);
  });

  it("rejects manager given as {managerId} with a 400 that names the sub-attribute", async () => {
    const before = await userCount(onelogin);
    const response = await onelogin.send("POST", "/Users", filledTemplate("manager.id@example.org", { [enterprise]: { manager: { managerId } } }));
    expectClearRejection(response, "invalidValue", "managerId");
    expect(await userCount(onelogin)).toBe(before);
  });

  it("rejects an unfilled {$user.active} placeholder with a 400 that names active", async () => {
    const response = await onelogin.send("POST", "/Users", filledTemplate("unfilled@example.org", { active: "{$user.active}" }));
    expectClearRejection(response, "invalidValue", "active");
    expect((await onelogin.filter("Users", 'userName eq "unfilled@example.org"')).body.totalResults).toBe(0);
  });

  it("rejects a template that is not a JSON object with 400 invalidSyntax", async () => {
    const response = await onelogin.send("POST", "/Users", [filledTemplate("array@example.org")]);
    expectClearRejection(response, "invalidSyntax", "JSON object");
  });

  it("lets a user whose template omits its id be updated by PUT with id: null", async () => {
    const created = await onelogin.send("POST", "/Users", filledTemplate("put.null.id@example.org"));
    const replaced = await onelogin.send("PUT", `/Users/${created.body.id}`, filledTemplate("put.null.id@example.org", { title: "Senior Analyst" }));
    expect(replaced.status).toBe(200);
    expect((await onelogin.get(`/Users/${created.body.id}`)).body).toMatchObject({ id: created.body.id, title: "Senior Analyst" });
  });
});

describe("JumpCloud", () => {
  let jumpcloud: IdpClient;

  beforeAll(async () => {
    jumpcloud = await harness.tenant("jumpcloud", jumpCloudProfile);
  });

  /** Test Connection: a test user and a test group, each created and deleted right away (JC-DOC). */
  async function testConnection(): Promise<{ userId: string; groupId: string }> {
    const user = await jumpcloud.send("POST", "/Users", {
      schemas: [coreUser],
      userName: "jc.test.user@example.org",
      name: { givenName: "JumpCloud", familyName: "Test" },
      emails: [{ value: "jc.test.user@example.org", type: "work", primary: true }],
      active: true,
    });
    expect(user.status).toBe(201);
    expect((await jumpcloud.send("DELETE", `/Users/${user.body.id}`)).status).toBe(204);
    const group = await jumpcloud.send("POST", "/Groups", { schemas: [coreGroup], displayName: "JumpCloud Test Group" });
    expect(group.status).toBe(201);
    expect((await jumpcloud.send("DELETE", `/Groups/${group.body.id}`)).status).toBe(204);
    return { userId: user.body.id, groupId: group.body.id };
  }

  it("passes Test Connection twice in a row (POST user, DELETE user, POST group, DELETE group) and leaves nothing behind", async () => {
    const first = await testConnection();
    const second = await testConnection();
    expect(second.userId).not.toBe(first.userId);
    for (const { userId, groupId } of [first, second]) {
      expect((await jumpcloud.get(`/Users/${userId}`)).status).toBe(404);
      expect((await jumpcloud.get(`/Groups/${groupId}`)).status).toBe(404);
    }
    expect((await jumpcloud.filter("Users", 'userName eq "jc.test.user@example.org"')).body.totalResults).toBe(0);
    expect(await readTenantState(jumpcloud)).toEqual({ users: {}, groups: {} });
  });

  describe("group management", () => {
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      for (const name of ["ava", "bo", "cy"]) {
        ids[name] = (await jumpcloud.send("POST", "/Users", { schemas: [coreUser], userName: `${name}@example.org`, active: true })).body.id;
      }
    });
    const sorted = (...names: string[]) => names.map((name) => ids[name]!).sort();

    it("takes over an existing group found by displayName eq instead of creating a second one", async () => {
      const existing = await jumpcloud.send("POST", "/Groups", { schemas: [coreGroup], displayName: "Design" });
      const lookup = await jumpcloud.filter("Groups", 'displayName eq "design"');
      expect(lookup.body.totalResults).toBe(1);
      expect(lookup.body.Resources[0].id).toBe(existing.body.id);
      ids.design = existing.body.id;
    });

    it("ENT-54, ENT-55: adds and removes members with Entra-style value arrays, removing only the listed members", async () => {
      const groupId = ids.design!;
      const add = await jumpcloud.send("PATCH", `/Groups/${groupId}`, patchOp({ op: "add", path: "members", value: [{ value: ids.ava }, { value: ids.bo }, { value: ids.cy }] }));
      expect([200, 204]).toContain(add.status);
      expect(await memberIdsOf(jumpcloud, groupId)).toEqual(sorted("ava", "bo", "cy"));

      const remove = await jumpcloud.send("PATCH", `/Groups/${groupId}`, patchOp({ op: "remove", path: "members", value: [{ value: ids.bo }] }));
      expect([200, 204]).toContain(remove.status);
      expect(await memberIdsOf(jumpcloud, groupId)).toEqual(sorted("ava", "cy"));
      expect(await groupIdsOf(jumpcloud, ids.bo!)).toEqual([]);
    });

    it("renames a managed group and keeps its members", async () => {
      const groupId = ids.design!;
      const rename = await jumpcloud.send("PATCH", `/Groups/${groupId}`, patchOp({ op: "replace", path: "displayName", value: "Product Design" }));
      expect([200, 204]).toContain(rename.status);
      expect((await jumpcloud.get(`/Groups/${groupId}`)).body.displayName).toBe("Product Design");
      expect(await memberIdsOf(jumpcloud, groupId)).toEqual(sorted("ava", "cy"));
    });

    it("deactivates the members of a disassociated group and deletes the group when it is deleted in JumpCloud", async () => {
      const groupId = ids.design!;
      for (const name of ["ava", "cy"]) {
        const response = await jumpcloud.send("PATCH", `/Users/${ids[name]}`, patchOp({ op: "replace", path: "active", value: false }));
        expect(response.status).toBe(200);
      }
      expect((await jumpcloud.send("DELETE", `/Groups/${groupId}`)).status).toBe(204);
      const state = await readTenantState(jumpcloud);
      expect(state.groups).toEqual({});
      expect(state.users["ava@example.org"]).toMatchObject({ active: false });
      expect(state.users["cy@example.org"]).toMatchObject({ active: false });
      expect(state.users["bo@example.org"]).toMatchObject({ active: true });
    });
  });
});

describe("PingFederate", () => {
  let ping: IdpClient;

  beforeAll(async () => {
    ping = await harness.tenant("pingfederate", pingProfile);
  });

  it("OKT-01: Ping's OAuth bearer token is accepted and its Basic authentication is a SCIM 401", async () => {
    expect((await ping.get("/Users?count=1")).status).toBe(200);
    const basic = ping.as({ ...pingProfile, authorization: (token) => `Basic ${Buffer.from(`ping:${token}`).toString("base64")}` });
    const response = await basic.get("/Users?count=1");
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ schemas: [errorMessage], status: "401" });
  });

  it("matches users on userName, then creates, updates and disables them by PUT with application/json bodies", async () => {
    const lookup = await ping.filter("Users", 'userName eq "pia@example.org"');
    expect(lookup.body.totalResults).toBe(0);
    const created = await ping.send("POST", "/Users", {
      schemas: [coreUser, enterprise],
      userName: "pia@example.org",
      name: { givenName: "Pia", familyName: "Federate" },
      emails: [{ value: "pia@example.org", type: "work", primary: true }],
      title: "Engineer",
      active: true,
      [enterprise]: { department: "Platform" },
    });
    expect(created.status).toBe(201);
    expect(created.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    const id = created.body.id;

    const updated = await ping.send("PUT", `/Users/${id}`, {
      schemas: [coreUser],
      userName: "pia@example.org",
      name: { givenName: "Pia", familyName: "Federate-Ng" },
      emails: [{ value: "pia@example.org", type: "work", primary: true }],
      active: true,
    });
    expect(updated.status).toBe(200);
    const afterUpdate = (await ping.get(`/Users/${id}`)).body;
    expect(afterUpdate.name).toEqual({ givenName: "Pia", familyName: "Federate-Ng" });
    expect(afterUpdate).not.toHaveProperty("title");
    expect(afterUpdate).not.toHaveProperty(enterprise);

    const disabled = await ping.send("PUT", `/Users/${id}`, { ...afterUpdate, active: false });
    expect(disabled.status).toBe(200);
    const found = await ping.filter("Users", 'userName eq "PIA@example.org"');
    expect(found.body.Resources).toHaveLength(1);
    expect(found.body.Resources[0]).toMatchObject({ id, active: false, name: { familyName: "Federate-Ng" } });
  });

  it("finds a group by listing every group page by page, without a filter", async () => {
    const client = await harness.tenant("pingfederate-groups", pingProfile);
    const created: string[] = [];
    for (let i = 1; i <= 130; i++) {
      const response = await client.send("POST", "/Groups", { schemas: [coreGroup], displayName: `Ping Group ${String(i).padStart(3, "0")}` });
      expect(response.status).toBe(201);
      created.push(response.body.id);
    }
    const firstPage = await client.get("/Groups");
    expect(firstPage.body).toMatchObject({ schemas: [listResponse], totalResults: 130, startIndex: 1, itemsPerPage: 100 });

    const listed: Array<{ id: string; displayName: string }> = [];
    for (let startIndex = 1; startIndex <= 130; startIndex += 50) {
      const page = await client.get(`/Groups?startIndex=${startIndex}&count=50`);
      expect(page.status).toBe(200);
      expect(page.body.totalResults).toBe(130);
      listed.push(...page.body.Resources);
    }
    expect(listed.map((group) => group.id)).toEqual(created);
    const match = listed.filter((group) => group.displayName.toLowerCase() === "ping group 117");
    expect(match.map((group) => group.id)).toEqual([created[116]]);
  });

  it("changes group members by PATCH with application/json and deletes users when Remove User Action is Delete", async () => {
    const client = await harness.tenant("pingfederate-members", pingProfile);
    const userIds: string[] = [];
    for (const name of ["pat", "quinn"]) {
      userIds.push((await client.send("POST", "/Users", { schemas: [coreUser], userName: `${name}@example.org`, active: true })).body.id);
    }
    const group = await client.send("POST", "/Groups", { schemas: [coreGroup], displayName: "Ping Admins" });
    const patched = await client.send("PATCH", `/Groups/${group.body.id}`, patchOp({ op: "add", path: "members", value: userIds.map((value) => ({ value })) }));
    expect([200, 204]).toContain(patched.status);
    expect(await memberIdsOf(client, group.body.id)).toEqual([...userIds].sort());

    expect((await client.send("DELETE", `/Users/${userIds[0]}`)).status).toBe(204);
    expect((await client.get(`/Users/${userIds[0]}`)).status).toBe(404);
    expect(await memberIdsOf(client, group.body.id)).toEqual([userIds[1]]);
  });
});

describe("Google Workspace", () => {
  it("answers the GET /Users?count=1 probe with a ListResponse of at most one user and the full total", async () => {
    const google = await harness.tenant("google-workspace", googleWorkspaceProfile);
    const empty = await google.get("/Users?count=1");
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ schemas: [listResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    for (const name of ["gina", "gus"]) {
      expect((await google.send("POST", "/Users", { schemas: [coreUser], userName: `${name}@example.org`, active: true })).status).toBe(201);
    }
    const probe = await google.get("/Users?count=1");
    expect(probe.status).toBe(200);
    expect(probe.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(probe.body).toMatchObject({ schemas: [listResponse], totalResults: 2, startIndex: 1, itemsPerPage: 1 });
    expect(probe.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["gina@example.org"]);
  });
});
