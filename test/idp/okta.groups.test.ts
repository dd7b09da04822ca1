import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oktaProfile, patchOp, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { coreGroup, errorMessage, groupIdsOf, listResponse, memberIdsOf, oktaCreateGroupBody, oktaFindGroup, oktaProvisionUser, oktaPushGroup } from "./support/okta-requests.js";

/** Okta Group Push, request by request (COMPATIBILITY.md §2.3). */

let harness: IdpHarness;
let okta: IdpClient;
const users: Record<string, { id: string; userName: string }> = {};

beforeAll(async () => {
  harness = await startIdpHarness();
  okta = await harness.tenant("okta-groups", oktaProfile);
  for (const name of ["ana", "ben", "cho", "dev", "eli"]) {
    const user = await oktaProvisionUser(okta, { userName: `${name}@example.org`, givenName: name, familyName: "Member" });
    users[name] = { id: user.id, userName: user.userName };
  }
});
afterAll(() => harness.close());

const member = (name: string) => ({ value: users[name]!.id, display: users[name]!.userName });
const ids = (...names: string[]) => names.map((name) => users[name]!.id).sort();

describe("Group Push existence check", () => {
  it("OKT-20: finds a pushed group by displayName eq in any case", async () => {
    const group = await oktaPushGroup(okta, "Field Sales");
    for (const name of ["Field Sales", "field sales", "FIELD SALES"]) {
      const response = await oktaFindGroup(okta, name);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ schemas: [listResponse], totalResults: 1, itemsPerPage: 1 });
      expect(response.body.Resources[0]).toMatchObject({ id: group.id, displayName: "Field Sales" });
    }
  });

  it("OKT-20: answers a displayName probe for a missing group with 200 and an empty ListResponse", async () => {
    const response = await oktaFindGroup(okta, "No Such Team");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ schemas: [listResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it("OKT-20: matches a displayName containing quotes, 'and' and 'or' as one value", async () => {
    const group = await oktaPushGroup(okta, 'Research and "Development" or Ops');
    const response = await oktaFindGroup(okta, 'research and \\"development\\" or ops');
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0].id).toBe(group.id);
  });
});

describe("Group Push create", () => {
  it("OKT-21: creates a group with members: [] and answers 201 with id, displayName and members", async () => {
    const response = await okta.send("POST", "/Groups", oktaCreateGroupBody("Test Team"));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ schemas: [coreGroup], displayName: "Test Team", members: [], meta: { resourceType: "Group" } });
    expect(response.body.id).toEqual(expect.any(String));
    expect(response.headers.location).toBe(response.body.meta.location);
    const fetched = await okta.get(`/Groups/${response.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: response.body.id, displayName: "Test Team" });
    expect(fetched.body.members ?? []).toEqual([]);
  });

  it("OKT-25: answers a second push of the same displayName, in another case, with 409 uniqueness and creates nothing", async () => {
    const first = await oktaPushGroup(okta, "Duplicate Team");
    const second = await okta.send("POST", "/Groups", oktaCreateGroupBody("DUPLICATE team"));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ schemas: [errorMessage], status: "409", scimType: "uniqueness" });
    expect(second.body.detail).toContain("DUPLICATE team");
    const lookup = await oktaFindGroup(okta, "duplicate team");
    expect(lookup.body.totalResults).toBe(1);
    expect(lookup.body.Resources[0].id).toBe(first.id);
  });
});

describe("Group Push rename", () => {
  it("OKT-22: renames with a path-less replace that echoes the group's id, keeping the members", async () => {
    const group = await oktaPushGroup(okta, "Rename Me");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("ana")] }));
    const response = await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", value: { id: group.id, displayName: "Renamed Team" } }));
    expect([200, 204]).toContain(response.status);
    const fetched = await okta.get(`/Groups/${group.id}`);
    expect(fetched.body).toMatchObject({ id: group.id, displayName: "Renamed Team" });
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("ana"));
    expect((await oktaFindGroup(okta, "Rename Me")).body.totalResults).toBe(0);
    expect((await oktaFindGroup(okta, "renamed team")).body.Resources[0].id).toBe(group.id);
    const userGroups = (await okta.get(`/Users/${users.ana!.id}`)).body.groups;
    expect(userGroups.find((g: { value: string }) => g.value === group.id).display).toBe("Renamed Team");
  });

  it("OKT-22: answers with the group when the client asks for attributes", async () => {
    const group = await oktaPushGroup(okta, "Rename With Body");
    const response = await okta.send("PATCH", `/Groups/${group.id}?excludedAttributes=members`, patchOp({ op: "replace", value: { id: group.id, displayName: "Renamed With Body" } }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: group.id, displayName: "Renamed With Body" });
    expect(response.body).not.toHaveProperty("members");
  });

  it("OKT-22: rejects a rename whose echoed id is another group's with 400 mutability and changes nothing", async () => {
    const group = await oktaPushGroup(okta, "Keep My Name");
    const other = await oktaPushGroup(okta, "Other Group");
    const before = (await okta.get(`/Groups/${group.id}`)).body;
    const response = await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", value: { id: other.id, displayName: "Stolen Name" } }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [errorMessage], status: "400", scimType: "mutability" });
    expect(response.body.detail).toContain("id");
    expect((await okta.get(`/Groups/${group.id}`)).body).toEqual(before);
  });

  it("OKT-22: rejects a rename onto another group's displayName with 409 uniqueness", async () => {
    const group = await oktaPushGroup(okta, "Collision A");
    await oktaPushGroup(okta, "Collision B");
    const response = await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", value: { id: group.id, displayName: "collision b" } }));
    expect(response.status).toBe(409);
    expect(response.body.scimType).toBe("uniqueness");
    expect((await okta.get(`/Groups/${group.id}`)).body.displayName).toBe("Collision A");
  });
});

describe("Group Push membership", () => {
  it("OKT-22, OKT-23: applies the id-echoing rename, a filtered remove and an add in one request", async () => {
    const group = await oktaPushGroup(okta, "Push Members");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("ana"), member("ben")] }));
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("ana", "ben"));

    const response = await okta.send(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp(
        { op: "replace", value: { id: group.id, displayName: "Push Members" } },
        { op: "remove", path: `members[value eq "${users.ana!.id}"]` },
        { op: "add", path: "members", value: [member("cho")] },
      ),
    );
    expect([200, 204]).toContain(response.status);
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("ben", "cho"));
    expect(await groupIdsOf(okta, users.ana!.id)).not.toContain(group.id);
    expect(await groupIdsOf(okta, users.cho!.id)).toContain(group.id);
    const fetched = (await okta.get(`/Groups/${group.id}`)).body;
    const cho = fetched.members.find((m: { value: string }) => m.value === users.cho!.id);
    expect(cho).toMatchObject({ value: users.cho!.id, type: "User", display: "cho Member" });
  });

  it("OKT-23: replaces every member with a full membership push", async () => {
    const group = await oktaPushGroup(okta, "Full Push");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("ana"), member("ben"), member("cho")] }));
    const response = await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "members", value: [member("cho"), member("dev")] }));
    expect([200, 204]).toContain(response.status);
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("cho", "dev"));
    expect(await groupIdsOf(okta, users.ben!.id)).not.toContain(group.id);
  });

  it("OKT-23: empties a group with a full push of no members", async () => {
    const group = await oktaPushGroup(okta, "Emptied By Push");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("eli")] }));
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "members", value: [] }));
    expect(await memberIdsOf(okta, group.id)).toEqual([]);
  });

  it("OKT-23: treats adding a present member and removing an absent one as no-ops", async () => {
    const group = await oktaPushGroup(okta, "Idempotent Push");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("ana")] }));
    const response = await okta.send(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "remove", path: `members[value eq "${users.eli!.id}"]` }, { op: "add", path: "members", value: [member("ana")] }),
    );
    expect([200, 204]).toContain(response.status);
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("ana"));
  });

  it("OKT-23: rejects an add of a member that does not exist and applies no operation of the request", async () => {
    const group = await oktaPushGroup(okta, "Atomic Push");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("ana")] }));
    const response = await okta.send(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "remove", path: `members[value eq "${users.ana!.id}"]` }, { op: "add", path: "members", value: [{ value: "00u-not-assigned", display: "ghost@example.org" }] }),
    );
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidValue");
    expect(response.body.detail).toContain("00u-not-assigned");
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("ana"));
  });

  it("OKT-23: sets the members with an App Integration Wizard PUT that echoes id and meta", async () => {
    const group = await oktaPushGroup(okta, "AIW Team");
    const current = (await okta.get(`/Groups/${group.id}`)).body;
    const first = await okta.send("PUT", `/Groups/${group.id}`, { ...current, members: [member("ana"), member("dev")] });
    expect(first.status).toBe(200);
    expect(first.body.members.map((m: { value: string }) => m.value).sort()).toEqual(ids("ana", "dev"));
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("ana", "dev"));

    const second = await okta.send("PUT", `/Groups/${group.id}`, { ...first.body, displayName: "AIW Team Renamed", members: [member("dev"), member("eli")] });
    expect(second.status).toBe(200);
    expect(await memberIdsOf(okta, group.id)).toEqual(ids("dev", "eli"));
    expect((await okta.get(`/Groups/${group.id}`)).body.displayName).toBe("AIW Team Renamed");
    expect(await groupIdsOf(okta, users.ana!.id)).not.toContain(group.id);
  });
});

describe("Group Push delete", () => {
  it("OKT-24: deletes an unlinked group with 204; it is gone from GET and filters, its members stay", async () => {
    const group = await oktaPushGroup(okta, "Unlinked Team");
    await okta.send("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [member("ben"), member("cho")] }));
    const response = await okta.send("DELETE", `/Groups/${group.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");

    const fetched = await okta.get(`/Groups/${group.id}`);
    expect(fetched.status).toBe(404);
    expect(fetched.body).toMatchObject({ schemas: [errorMessage], status: "404" });
    expect((await oktaFindGroup(okta, "Unlinked Team")).body.totalResults).toBe(0);
    for (const name of ["ben", "cho"]) {
      const user = await okta.get(`/Users/${users[name]!.id}`);
      expect(user.status).toBe(200);
      expect((user.body.groups ?? []).map((g: { value: string }) => g.value)).not.toContain(group.id);
    }
    expect((await okta.send("DELETE", `/Groups/${group.id}`)).status).toBe(404);
  });

  it("OKT-24: frees the displayName of a deleted group for the next push", async () => {
    const group = await oktaPushGroup(okta, "Pushed Again");
    expect((await okta.send("DELETE", `/Groups/${group.id}`)).status).toBe(204);
    const again = await oktaPushGroup(okta, "Pushed Again");
    expect(again.id).not.toBe(group.id);
    expect((await oktaFindGroup(okta, "pushed again")).body.Resources.map((g: { id: string }) => g.id)).toEqual([again.id]);
  });
});
