import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFaultTarget, type FaultTarget } from "../../../test/support/fault-target.js";
import type { Exchange } from "./request-record.js";
import { ScimTargetClient, type ScimTargetClientOptions } from "./scim-target-client.js";
import { TargetError } from "./target-error.js";
import { targetFailure } from "./testing/target-failure.js";

/** The engine's operations against the fault target over real HTTP on 127.0.0.1. */
describe("ScimTargetClient operations", () => {
  let target: FaultTarget;
  let client: ScimTargetClient;
  let exchanges: Exchange[];
  const open = (options: Partial<ScimTargetClientOptions> = {}) =>
    new ScimTargetClient({ baseUrl: target.baseUrl, token: target.token, allowPrivateAddresses: true, onExchange: (exchange) => exchanges.push(exchange), ...options });

  beforeAll(async () => {
    target = await startFaultTarget();
  });
  afterAll(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.clearFaults();
    target.clearRequests();
    exchanges = [];
    client = open();
  });
  afterEach(async () => {
    await client.close();
  });

  it("creates, reads, replaces, patches and deletes a user, with SCIM headers and a record per call", async () => {
    const created = await client.create("Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ann@example.test", active: true });
    expect(created.value.id).toMatch(/./);
    expect(created.records).toEqual([{ method: "POST", path: "/Users", status: 201, durationMs: expect.any(Number), attempts: 1 }]);
    const id = created.value.id;
    expect((await client.getResource("Users", id)).value.userName).toBe("ann@example.test");
    expect((await client.replace("Users", id, { userName: "ann@example.test", active: true, displayName: "Ann" })).value?.displayName).toBe("Ann");
    expect((await client.patch("Users", id, [{ op: "replace", path: "active", value: false }])).value?.active).toBe(false);
    expect((await client.delete("Users", id)).value).toBe("deleted");
    expect((await client.delete("Users", id)).value).toBe("alreadyGone");

    const [post] = target.requests();
    expect(post!.headers).toMatchObject({ "content-type": "application/scim+json", accept: expect.stringContaining("application/scim+json"), "user-agent": expect.stringMatching(/^Muster\/\d+\.\d+\.\d+/) });
    expect(target.requests().map(({ method }) => method)).toEqual(["POST", "GET", "PUT", "PATCH", "DELETE", "DELETE"]);
    expect(exchanges.map(({ method, status, attempt }) => `${method} ${status} ${attempt}`)).toEqual(["POST 201 1", "GET 200 1", "PUT 200 1", "PATCH 200 1", "DELETE 204 1", "DELETE 404 1"]);
    expect(exchanges[0]!.requestBody).toMatchObject({ userName: "ann@example.test" });
    expect(exchanges[0]!.responseText).toContain(id);
  });

  it("fails as notFound on a missing object, with a record and a fix", async () => {
    const error = await targetFailure(client.getResource("Users", "no-such-id"));
    expect(error).toBeInstanceOf(TargetError);
    expect(error).toMatchObject({ kind: "notFound", status: 404, record: { method: "GET", path: "/Users/no-such-id", status: 404, attempts: 1, kind: "notFound" } });
    expect((error as TargetError).fix).toMatch(/matches it again/);
  });

  it("finds by an escaped equality filter and asks for two results", async () => {
    const tricky = 'o"neil \\ sales and marketing';
    target.addUser({ userName: tricky, externalId: "ext-1" });
    target.addUser({ userName: "other" });
    const found = await client.findResources("Users", "userName", tricky);
    expect(found.value.totalResults).toBe(1);
    expect(found.value.resources[0]!.userName).toBe(tricky);
    expect(target.requests()[0]!.query).toEqual({ filter: 'userName eq "o\\"neil \\\\ sales and marketing"', count: "2" });
    expect((await client.findResources("Users", "externalId", "nobody")).value).toEqual({ totalResults: 0, resources: [] });
  });

  it("looks groups up without their members", async () => {
    const user = target.addUser({ userName: "member-1" });
    target.addGroup({ displayName: "Sales", members: [{ value: user.id }] });
    const found = await client.findResources("Groups", "displayName", "sales");
    expect(found.value.resources[0]).not.toHaveProperty("members");
    expect(target.requests()[0]!.query.excludedAttributes).toBe("members");
  });

  it("fails as invalidResponse when the target ignores the filter, rather than returning someone else", async () => {
    target.addUser({ userName: "somebody" });
    target.setFaults({ filtering: "ignored" });
    const error = await targetFailure(client.findResources("Users", "userName", "nobody"));
    expect(error).toMatchObject({ kind: "invalidResponse" });
    expect(error.message).toMatch(/ignored the filter/);
  });

  it("fails as conflict with or without scimType", async () => {
    target.addUser({ userName: "taken" });
    await expect(client.create("Users", { userName: "taken" })).rejects.toMatchObject({ kind: "conflict", status: 409, scimType: "uniqueness" });
    target.setFaults({ conflictScimType: null });
    await expect(client.create("Users", { userName: "TAKEN" })).rejects.toMatchObject({ kind: "conflict", status: 409, scimType: undefined });
  });

  it("chunks member changes to the per-app limit, removals first", async () => {
    client = open({ memberChangesPerPatch: 3 });
    const users = Array.from({ length: 7 }, (_, n) => target.addUser({ userName: `chunk-${n}` }));
    const group = target.addGroup({ displayName: "Chunked", members: [{ value: users[0]!.id }] });
    const result = await client.patchMembers(
      group.id,
      users.slice(1).map(({ id }) => id),
      [users[0]!.id],
    );
    expect(result.value).toEqual({ changesPerPatch: 3, lowered: false, requests: 3 });
    expect(result.records).toHaveLength(3);
    const members = target.groups().find(({ id }) => id === group.id)!.members as { value: string }[];
    expect(members.map(({ value }) => value).sort()).toEqual(users.slice(1).map(({ id }) => id).sort());
    const first = target.requests()[0]!.body as { Operations: { op: string; path: string }[] };
    expect(first.Operations[0]).toEqual({ op: "remove", path: `members[value eq "${users[0]!.id}"]` });
  });

  it.each(["tooMany", "payloadTooLarge"] as const)("halves the chunk size when the target refuses a PATCH as too large (%s) and reports the lowered limit", async (answer) => {
    target.setFaults({ maxPatchChanges: 25, patchLimitAnswer: answer });
    const users = Array.from({ length: 130 }, (_, n) => target.addUser({ userName: `big-${answer}-${n}` }));
    const group = target.addGroup({ displayName: `Big ${answer}` });
    const result = await client.patchMembers(group.id, users.map(({ id }) => id), []);
    // 100 refused, 50 refused, then 25 at a time: 130 = 25 × 5 + 5.
    expect(result.value).toEqual({ changesPerPatch: 25, lowered: true, requests: 6 });
    expect(client.memberChangesPerPatch).toBe(25);
    expect((target.groups().find(({ id }) => id === group.id)!.members as unknown[]).length).toBe(130);
    expect(result.records.map(({ status }) => status)).toEqual([answer === "tooMany" ? 400 : 413, answer === "tooMany" ? 400 : 413, 204, 204, 204, 204, 204, 204]);
  });

  it("gives up on a PATCH still refused at one change", async () => {
    target.setFaults({ maxPatchChanges: 0 });
    const users = [target.addUser({ userName: "lonely-1" }), target.addUser({ userName: "lonely-2" })];
    const group = target.addGroup({ displayName: "Zero" });
    await expect(client.patchMembers(group.id, users.map(({ id }) => id), [])).rejects.toMatchObject({ kind: "rejected", scimType: "tooMany" });
    expect(client.memberChangesPerPatch).toBe(1);
    expect(target.requests().map(({ body }) => (body as { Operations: { value: unknown[] }[] }).Operations[0]!.value.length)).toEqual([2, 1]);
  });

  it("reads members back, and says when the target returns the group without them", async () => {
    const user = target.addUser({ userName: "read-back" });
    const group = target.addGroup({ displayName: "Readable", members: [{ value: user.id }] });
    expect((await client.readMembers(group.id)).value).toEqual({ members: [user.id], membersReturned: true });
    expect(target.requests()[0]!.path).toBe(`/Groups/${group.id}?attributes=members`);
    target.setFaults({ groupsWithoutMembers: true });
    expect((await client.readMembers(group.id)).value).toEqual({ members: [], membersReturned: false });
  });

  it("reads the ServiceProviderConfig, and fails as notFound without one", async () => {
    expect((await client.getServiceProviderConfig()).value.patch).toEqual({ supported: true });
    target.setFaults({ noServiceProviderConfig: true });
    await expect(client.getServiceProviderConfig()).rejects.toMatchObject({ kind: "notFound" });
  });

  it("fails as auth with a readable message when the token is refused", async () => {
    client = open({ token: "not-the-token" });
    const error = await targetFailure(client.findResources("Users", "userName", "x"));
    expect(error.kind).toBe("auth");
    expect(error.message).toMatch(/^GET \/Users\?filter=.*: answered 401: the Secret Token was refused: the bearer token is not valid$/);
  });

  it("rejects bad settings when constructed", () => {
    expect(() => new ScimTargetClient({ baseUrl: "ftp://x.example/scim", token: "t" })).toThrow(/https/);
    expect(() => new ScimTargetClient({ baseUrl: "https://user:pw@x.example/scim", token: "t" })).toThrow(/user name/);
    expect(() => new ScimTargetClient({ baseUrl: "https://x.example/scim?x=1", token: "t" })).toThrow(/query/);
    expect(() => new ScimTargetClient({ baseUrl: "https://x.example/scim", token: "" })).toThrow(/Secret Token/);
    expect(() => new ScimTargetClient({ baseUrl: "https://x.example/scim", token: "t", maxConcurrency: 65 })).toThrow(/1 to 64/);
    expect(new ScimTargetClient({ baseUrl: "https://x.example/scim/v2/", token: "t" }).baseUrl.href).toBe("https://x.example/scim/v2");
  });
});
