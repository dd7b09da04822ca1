import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { adscimGroupUrn, entraGroupBody, entraUserBody, fetchResource, memberIds, provisionGroup } from "./support/entra-requests.js";
import { entraProfile, patchOp, randomGuid, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { expectCreated, expectList, expectNoContent, expectScimError } from "./support/scim-expect.js";

/** Microsoft Entra ID group flow (COMPATIBILITY.md §1.5), checked through GET. */

let harness: IdpHarness;
let entra: IdpClient;
let sequence = 0;

beforeAll(async () => {
  harness = await startIdpHarness();
  entra = await harness.tenant("contoso", entraProfile);
});
afterAll(() => harness.close());

async function newUsers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    sequence += 1;
    ids.push(expectCreated(await entra.send("POST", "/Users", entraUserBody(`member${sequence}@contoso.example`))).id);
  }
  return ids;
}

async function newGroup(displayName: string): Promise<string> {
  return expectCreated(await entra.send("POST", "/Groups", entraGroupBody(displayName, randomGuid()))).id;
}

/** PATCHes a group as Entra does and asserts Microsoft's preferred 204 No Content (ENT-53). */
async function patchGroup(id: string, ...operations: Record<string, unknown>[]): Promise<void> {
  expectNoContent(await entra.send("PATCH", `/Groups/${id}`, patchOp(...operations)));
}

async function addMembers(groupId: string, ids: readonly string[]): Promise<void> {
  await patchGroup(groupId, { op: "Add", path: "members", value: ids.map((value) => ({ $ref: null, value })) });
}

describe("match and create (ENT-50, ENT-51)", () => {
  it("ENT-50: finds a group by displayName in any case with members excluded: one result, no members key at all", async () => {
    const id = await newGroup("Finance EU");
    await addMembers(id, await newUsers(2));
    for (const probe of ["Finance EU", "finance eu", "FINANCE eu"]) {
      const [found, ...rest] = expectList(await entra.filter("Groups", `displayName eq "${probe}"`, "excludedAttributes=members"), 1);
      expect(rest).toEqual([]);
      expect(found.id).toBe(id);
      expect(found.displayName).toBe("Finance EU");
      expect(found).not.toHaveProperty("members");
    }
    expect(expectList(await entra.filter("Groups", 'displayName eq "finance eu"'), 1)[0].members).toHaveLength(2);
  });

  it("ENT-50: matches a displayName containing \" and \" and quotes as one value", async () => {
    const id = await newGroup('Sales and Marketing "EMEA"');
    const [found] = expectList(await entra.filter("Groups", 'displayName eq "sales AND marketing \\"emea\\""', "excludedAttributes=members"), 1);
    expect(found.id).toBe(id);
  });

  it("ENT-50: matches by externalId when that is the configured matching attribute, exactly", async () => {
    const externalId = randomGuid();
    const id = expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Matched By Object Id", externalId))).id;
    expect(expectList(await entra.filter("Groups", `externalId eq "${externalId}"`, "excludedAttributes=members"), 1)[0].id).toBe(id);
    expectList(await entra.filter("Groups", `externalId eq "${externalId.toUpperCase()}"`, "excludedAttributes=members"), 0);
  });

  it("ENT-51: creates a group whose schemas list Microsoft's ADSCIM URI with 201, id, displayName, externalId and empty members", async () => {
    const externalId = randomGuid();
    const created = expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Created Group", externalId)));
    expect(created).toMatchObject({ schemas: [Urn.Group], displayName: "Created Group", externalId, members: [], meta: { resourceType: "Group" } });
    expect(JSON.stringify(created)).not.toContain(adscimGroupUrn);
    expect(await fetchResource(entra, "Groups", created.id)).toEqual(created);
  });

  it("ENT-51: creates a group only once across two cycles of match-then-create", async () => {
    const body = entraGroupBody("Cycled Group", randomGuid());
    const first = await provisionGroup(entra, body);
    expect(await provisionGroup(entra, body)).toBe(first);
    expectList(await entra.filter("Groups", 'displayName eq "cycled group"', "excludedAttributes=members"), 1);
  });

  it("ENT-51: answers a duplicate displayName in another case with 409 uniqueness", async () => {
    await newGroup("Dup Group");
    expectScimError(await entra.send("POST", "/Groups", entraGroupBody("DUP GROUP", randomGuid())), 409, "uniqueness");
    expectList(await entra.filter("Groups", 'displayName eq "dup group"'), 1);
  });
});

describe("read, rename, delete (ENT-52, ENT-53, ENT-56)", () => {
  it("ENT-52: answers GET /Groups/{id}?excludedAttributes=members without a members key, and with members otherwise", async () => {
    const id = await newGroup("Read Group");
    const [member] = await newUsers(1);
    await addMembers(id, [member!]);
    const without = await fetchResource(entra, "Groups", id, "excludedAttributes=members");
    expect(without).not.toHaveProperty("members");
    expect(without).toMatchObject({ id, displayName: "Read Group" });
    expect((await fetchResource(entra, "Groups", id)).members).toEqual([
      { value: member, $ref: `${entra.baseUrl}/Users/${member}`, type: "User", display: `member${sequence}` },
    ]);
  });

  it("ENT-52: answers an unknown group id with a SCIM 404", async () => {
    expectScimError(await entra.get(`/Groups/${randomGuid()}?excludedAttributes=members`), 404);
  });

  it("ENT-53: renames with Replace path displayName, answering 204; the new name matches and the old does not", async () => {
    const id = await newGroup("Finance Old");
    await addMembers(id, await newUsers(1));
    await patchGroup(id, { op: "Replace", path: "displayName", value: "Finance Europe" });
    const group = await fetchResource(entra, "Groups", id);
    expect(group.displayName).toBe("Finance Europe");
    expect(group.members).toHaveLength(1);
    expectList(await entra.filter("Groups", 'displayName eq "Finance Old"', "excludedAttributes=members"), 0);
    expect(expectList(await entra.filter("Groups", 'displayName eq "finance europe"', "excludedAttributes=members"), 1)[0].id).toBe(id);
  });

  it("ENT-53: renames with the validator's path-less replace of displayName and of externalId, answering 204", async () => {
    const id = await newGroup("Validator Old");
    await patchGroup(id, { op: "replace", value: { displayName: "Validator New" } });
    await patchGroup(id, { op: "replace", value: { externalId: "ext-new" } });
    expect(await fetchResource(entra, "Groups", id)).toMatchObject({ displayName: "Validator New", externalId: "ext-new", members: [] });
  });

  it("ENT-53: renames a group to another case of its own name without colliding with itself", async () => {
    const id = await newGroup("Case Group");
    await patchGroup(id, { op: "Replace", path: "displayName", value: "CASE GROUP" });
    expect((await fetchResource(entra, "Groups", id)).displayName).toBe("CASE GROUP");
  });

  it("ENT-53: answers a rename onto another group's name with 409 uniqueness and keeps the old name", async () => {
    await newGroup("Taken Name");
    const id = await newGroup("Free Name");
    expectScimError(await entra.send("PATCH", `/Groups/${id}`, patchOp({ op: "Replace", path: "displayName", value: "TAKEN NAME" })), 409, "uniqueness");
    expect((await fetchResource(entra, "Groups", id)).displayName).toBe("Free Name");
  });

  it("ENT-56: deletes a group with 204; then GET and a second DELETE are 404, the match is empty and members lose the membership", async () => {
    const id = await newGroup("Doomed Group");
    const [member] = await newUsers(1);
    await addMembers(id, [member!]);
    expect((await fetchResource(entra, "Users", member!)).groups).toHaveLength(1);
    expectNoContent(await entra.send("DELETE", `/Groups/${id}`));
    expectScimError(await entra.get(`/Groups/${id}`), 404);
    expectList(await entra.filter("Groups", 'displayName eq "Doomed Group"', "excludedAttributes=members"), 0);
    expectScimError(await entra.send("DELETE", `/Groups/${id}`), 404);
    const user = await fetchResource(entra, "Users", member!);
    expect(user.groups ?? []).toEqual([]);
    expect(expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Doomed Group", randomGuid()))).id).not.toBe(id);
  });
});

describe("membership (ENT-54, ENT-55, ENT-57)", () => {
  it("ENT-54: adds several members with $ref null in one operation, answering 204, and lists each with type User", async () => {
    const id = await newGroup("Multi Add");
    const users = await newUsers(3);
    await addMembers(id, users);
    expect(await memberIds(entra, id)).toEqual([...users].sort());
    const group = await fetchResource(entra, "Groups", id);
    expect(group.members.every((member: { type: string; $ref: string }) => member.type === "User" && member.$ref.startsWith(entra.baseUrl))).toBe(true);
    for (const user of users) expect((await fetchResource(entra, "Users", user)).groups).toEqual([expect.objectContaining({ value: id, display: "Multi Add" })]);
  });

  it("ENT-54: treats adding present members again as a no-op: no duplicates, still 204", async () => {
    const id = await newGroup("Idempotent Add");
    const users = await newUsers(2);
    await addMembers(id, users);
    await addMembers(id, users);
    await addMembers(id, [users[0]!, users[0]!]);
    expect(await memberIds(entra, id)).toEqual([...users].sort());
  });

  it("ENT-54: answers an unknown member id with 400 invalidValue naming it, and adds none of the batch", async () => {
    const id = await newGroup("Bad Member");
    const [known] = await newUsers(1);
    const unknown = randomGuid();
    const response = await entra.send("PATCH", `/Groups/${id}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: known }, { $ref: null, value: unknown }] }));
    expect(expectScimError(response, 400, "invalidValue")).toContain(unknown);
    expect(await memberIds(entra, id)).toEqual([]);
  });

  it("ENT-55: removes only the members listed in a Remove members value array; the rest stay", async () => {
    const id = await newGroup("Remove By Value");
    const [a, b, c, d] = await newUsers(4);
    await addMembers(id, [a!, b!, c!, d!]);
    await patchGroup(id, { op: "Remove", path: "members", value: [{ $ref: null, value: b }] });
    expect(await memberIds(entra, id)).toEqual([a!, c!, d!].sort());
    await patchGroup(id, { op: "Remove", path: "members", value: [{ value: a }, { value: d }] });
    expect(await memberIds(entra, id)).toEqual([c!]);
    expect((await fetchResource(entra, "Users", b!)).groups ?? []).toEqual([]);
  });

  it("ENT-55: removes one member by members[value eq \"…\"], leaving the others", async () => {
    const id = await newGroup("Remove By Filter");
    const [a, b, c] = await newUsers(3);
    await addMembers(id, [a!, b!, c!]);
    await patchGroup(id, { op: "remove", path: `members[value eq "${c}"]` });
    expect(await memberIds(entra, id)).toEqual([a!, b!].sort());
  });

  it("ENT-55: treats removing a member that is not in the group as a no-op in both forms", async () => {
    const id = await newGroup("Remove Absent");
    const [a, outsider] = await newUsers(2);
    await addMembers(id, [a!]);
    await patchGroup(id, { op: "Remove", path: "members", value: [{ value: outsider }] });
    await patchGroup(id, { op: "remove", path: `members[value eq "${outsider}"]` });
    expect(await memberIds(entra, id)).toEqual([a!]);
  });

  it("ENT-55: empties the group only on Remove members without a value", async () => {
    const id = await newGroup("Remove All");
    await addMembers(id, await newUsers(2));
    await patchGroup(id, { op: "Remove", path: "members" });
    expect(await memberIds(entra, id)).toEqual([]);
  });

  it("ENT-57: adds a group as a member of a group, listed with type Group; its own members are not listed in the parent", async () => {
    const parent = await newGroup("Parent Group");
    const child = await newGroup("Child Group");
    const [direct, nested] = await newUsers(2);
    await addMembers(child, [nested!]);
    await patchGroup(parent, { op: "Add", path: "members", value: [{ $ref: null, value: child }, { $ref: null, value: direct }] });
    const members = (await fetchResource(entra, "Groups", parent)).members;
    expect(members).toHaveLength(2);
    expect(members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: child, type: "Group", display: "Child Group", $ref: `${entra.baseUrl}/Groups/${child}` }),
        expect.objectContaining({ value: direct, type: "User" }),
      ]),
    );
    expect((await fetchResource(entra, "Users", nested!)).groups).toEqual([expect.objectContaining({ value: child })]);
    expect(expectList(await entra.filter("Groups", `id eq "${parent}" and members eq "${child}"`, "excludedAttributes=members"), 1)[0].id).toBe(parent);
    expectList(await entra.filter("Groups", `id eq "${parent}" and members eq "${nested}"`, "excludedAttributes=members"), 0);
  });

  it("ENT-57: refuses a group as a member of itself with 400 and changes nothing", async () => {
    const id = await newGroup("Self Group");
    const response = await entra.send("PATCH", `/Groups/${id}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: id }] }));
    expectScimError(response, 400, "invalidValue");
    expect(await memberIds(entra, id)).toEqual([]);
  });
});
