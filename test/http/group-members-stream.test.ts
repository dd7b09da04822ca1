import { request as httpRequest, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { presentResource } from "../../src/http/presenters/present-resource.js";
import { parseProjection, projectResource } from "../../src/scim/resource/projection.js";
import { unwrap } from "../../src/scim/result.js";
import { registry } from "../../src/scim/schema/registry.js";
import { patchBody, startTestServer, type TestServer, type TestTenant } from "../support/scim-server.js";

/*
 * GET of a group larger than one page of members (5,000) streams its members: the body must be the
 * document the whole-array presenter gives, other requests must not wait for a slow download, and a
 * page that fails after the status is sent must cut the response off rather than end it as if whole.
 */

const size = 20_000;
let server: TestServer;
let acme: TestTenant;
const groupId = "g-all";
const memberIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
  const tenantId = acme.record.id;
  // Ids out of insertion order, and a few groups among the members, so order and type both matter.
  for (let i = 0; i < size; i++) memberIds.push(`m-${((i * 7919) % size).toString(36).padStart(4, "0")}`);
  await server.store.write(async (s) => {
    for (const [i, id] of memberIds.entries()) {
      const attributes = i % 1000 === 0 ? { displayName: `Team ${i}` } : { userName: `user${i}@example.org`, ...(i % 3 === 0 ? { displayName: `User "${i}" Ω` } : {}) };
      await s.resources.insert({ tenantId, id, type: i % 1000 === 0 ? "Group" : "User", attributes, created: "2026-01-01T00:00:00.000Z" });
    }
    await s.resources.insert({ tenantId, id: groupId, type: "Group", attributes: { displayName: "All Employees", externalId: "all" }, created: "2026-01-01T00:00:00.000Z" });
    await s.resources.addMembers(tenantId, groupId, memberIds.map((value, i) => ({ value, type: i % 1000 === 0 ? ("Group" as const) : ("User" as const) })));
  });
}, 120_000);
afterAll(() => server.close());

/** The body the whole-array presenter gives for the group as stored now. */
async function expectedText(query: { attributes?: string; excludedAttributes?: string }): Promise<string> {
  const schema = registry.forType("Group");
  const { record, members } = await server.store.read(async (s) => ({
    record: (await s.resources.get("Group", acme.record.id, groupId))!,
    members: (await s.resources.membersOf(acme.record.id, [groupId])).get(groupId)!,
  }));
  return JSON.stringify(projectResource(schema, presentResource({ record, members }, schema, acme.baseUrl), unwrap(parseProjection(schema, query))));
}

/** Starts a GET and resolves with the response once its headers and first bytes are in, without reading further. */
function startStalledGet(path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${acme.baseUrl}${path}`, { headers: { authorization: `Bearer ${acme.token}` } }, (response) => {
      response.once("readable", () => resolve(response));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("GET /Groups/{id} of a group larger than one page of members", () => {
  it("streams every member in member-id order, byte for byte the document the whole-array presenter gives", async () => {
    const response = await acme.request("GET", `/Groups/${groupId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    expect(response.headers.get("etag")).toBe('W/"1"');
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.body.members).toHaveLength(size);
    expect(response.body.members.map((m: { value: string }) => m.value)).toEqual([...memberIds].sort());
    expect(response.body.members.filter((m: { type: string }) => m.type === "Group")).toHaveLength(size / 1000);
    expect(response.text).toBe(await expectedText({}));
  });

  it.each<Record<string, string>>([{ attributes: "members.value" }, { attributes: "displayName,members" }, { excludedAttributes: "members.display,externalId" }])("applies %o to every streamed member as to the whole array", async (query) => {
    const response = await acme.request("GET", `/Groups/${groupId}?${new URLSearchParams(query).toString()}`);
    expect(response.status).toBe(200);
    expect(response.body.members).toHaveLength(size);
    expect(response.text).toBe(await expectedText(query));
  });

  it("reads no member pages for excludedAttributes=members or attributes without members", async () => {
    for (const query of [{ excludedAttributes: "members" }, { attributes: "displayName" }] as Record<string, string>[]) {
      const response = await acme.request("GET", `/Groups/${groupId}?${new URLSearchParams(query).toString()}`);
      expect(response.status).toBe(200);
      expect("members" in response.body).toBe(false);
      expect(response.headers.get("content-length")).not.toBeNull();
    }
  });

  it("answers 304 to If-None-Match with the current version without sending members", async () => {
    const response = await acme.request("GET", `/Groups/${groupId}`, { headers: { "if-none-match": 'W/"1"' } });
    expect(response.status).toBe(304);
    expect(response.text).toBe("");
  });

  it("keeps serving reads and writes while a client is slow to take a streamed group", async () => {
    const stalled = await startStalledGet(`/Groups/${groupId}`);
    try {
      expect(stalled.statusCode).toBe(200);
      const started = Date.now();
      const user = await acme.request("GET", `/Users/${memberIds[1]}`);
      expect(user.status).toBe(200);
      const list = await acme.request("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Team 0"')}`);
      expect(list.body.totalResults).toBe(1);
      const created = await acme.request("POST", "/Users", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "late@example.org" } });
      expect(created.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      stalled.destroy();
    }
  });

  it("cuts the response off, never ending it as complete, when a later page of members fails", async () => {
    const read = server.store.read.bind(server.store);
    let reads = 0;
    const spy = vi.spyOn(server.store, "read").mockImplementation((work) => (++reads === 3 ? Promise.reject(new Error("the database went away")) : read(work)));
    try {
      const response = await fetch(`${acme.baseUrl}/Groups/${groupId}`, { headers: { authorization: `Bearer ${acme.token}` } });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      expect(reads).toBe(3);
    } finally {
      spy.mockRestore();
    }
    const again = await acme.request("GET", `/Groups/${groupId}?attributes=members.value`);
    expect(again.body.members).toHaveLength(size);
  });

  it("streams the members a PATCH changed once it is committed", async () => {
    const removed = [...memberIds].sort()[7_500]!;
    const patch = await acme.request("PATCH", `/Groups/${groupId}`, { body: patchBody({ op: "remove", path: `members[value eq "${removed}"]` }) });
    expect(patch.status).toBe(204);
    const response = await acme.request("GET", `/Groups/${groupId}`);
    expect(response.headers.get("etag")).toBe('W/"2"');
    expect(response.body.members).toHaveLength(size - 1);
    expect(response.text).toBe(await expectedText({}));
  });
});
