import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFaultTarget, type FaultTarget } from "./fault-target.js";

/** Tests of the fault target itself, over real HTTP with fetch (not the client under test). */
describe("fault target", () => {
  let target: FaultTarget;
  beforeAll(async () => {
    target = await startFaultTarget({ token: "fault-target-token" });
  });
  afterAll(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.clearFaults();
    target.clearRequests();
  });

  async function call(method: string, path: string, body?: unknown, token: string | null = target.token) {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/scim+json";
    const response = await fetch(`${target.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
  }
  const filterPath = (endpoint: string, filter: string) => `/${endpoint}?filter=${encodeURIComponent(filter)}`;

  it("listens on 127.0.0.1 and refuses a wrong or missing token with a SCIM 401", async () => {
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    for (const token of ["wrong", null]) {
      const answer = await call("GET", "/Users", undefined, token);
      expect(answer.status).toBe(401);
      expect(answer.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    }
  });

  it("creates, reads, filters, replaces and deletes users; userName is unique without regard to case", async () => {
    const created = await call("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "Ann", externalId: "e-1" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${target.baseUrl}/Users/${created.body.id}`);
    expect((await call("GET", `/Users/${created.body.id}`)).body.userName).toBe("Ann");
    expect((await call("GET", filterPath("Users", 'userName eq "ann"'))).body.totalResults).toBe(1);
    expect((await call("GET", filterPath("Users", 'externalId eq "E-1"'))).body.totalResults).toBe(0);
    expect((await call("POST", "/Users", { userName: "ANN" })).status).toBe(409);
    const replaced = await call("PUT", `/Users/${created.body.id}`, { userName: "ann2", active: false });
    expect(replaced.body).toMatchObject({ id: created.body.id, userName: "ann2", active: false });
    expect((await call("DELETE", `/Users/${created.body.id}`)).status).toBe(204);
    expect((await call("GET", `/Users/${created.body.id}`)).status).toBe(404);
  });

  it("patches attributes, sub-attributes, value-filtered elements and extension attributes", async () => {
    const user = target.addUser({ userName: "pat", emails: [{ type: "work", value: "a@x.test" }] });
    const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const answer = await call("PATCH", `/Users/${user.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: "active", value: false },
        { op: "add", path: "name.givenName", value: "Pat" },
        { op: "replace", path: 'emails[type eq "work"].value', value: "b@x.test" },
        { op: "add", path: `${enterprise}:department`, value: "Sales" },
      ],
    });
    expect(answer.status).toBe(200);
    expect(target.users()[0]).toMatchObject({ active: false, name: { givenName: "Pat" }, emails: [{ type: "work", value: "b@x.test" }], [enterprise]: { department: "Sales" } });
  });

  it("adds members and removes them by value filter and by value list; unknown members are refused", async () => {
    const a = target.addUser({ userName: "a" });
    const b = target.addUser({ userName: "b" });
    const c = target.addUser({ userName: "c" });
    const group = target.addGroup({ displayName: "Sales" });
    const patch = (...Operations: unknown[]) => call("PATCH", `/Groups/${group.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });
    expect((await patch({ op: "add", path: "members", value: [{ value: a.id }, { value: b.id }, { value: c.id }] })).status).toBe(204);
    expect((await patch({ op: "remove", path: `members[value eq "${a.id}"]` })).status).toBe(204);
    expect((await patch({ op: "remove", path: "members", value: [{ value: b.id }] })).status).toBe(204);
    expect(target.groups()[0]!.members).toEqual([{ value: c.id }]);
    const unknown = await patch({ op: "add", path: "members", value: [{ value: "nobody" }] });
    expect(unknown.status).toBe(400);
    expect(target.groups()[0]!.members).toEqual([{ value: c.id }]);
    expect((await call("POST", "/Groups", { displayName: "sales" })).body.scimType).toBe("uniqueness");
  });

  it("logs requests without the Authorization header", async () => {
    await call("GET", filterPath("Users", 'userName eq "x"'));
    const [entry] = target.requests();
    expect(entry).toMatchObject({ method: "GET", path: `/Users?filter=${encodeURIComponent('userName eq "x"')}`, query: { filter: 'userName eq "x"' }, status: 200 });
    expect(entry!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(target.requests())).not.toContain(target.token);
  });

  it("answers 429 with Retry-After in seconds, as an HTTP date, or without it, for the next N requests", async () => {
    target.setFaults({ fail: { status: 429, retryAfter: 2, times: 1 } });
    const first = await call("GET", "/Users");
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "2"]);
    expect((await call("GET", "/Users")).status).toBe(200);
    const at = new Date(Date.now() + 5000);
    target.setFaults({ fail: { status: 429, retryAfter: at, times: 1 } });
    expect((await call("GET", "/Users")).headers.get("retry-after")).toBe(at.toUTCString());
    target.setFaults({ fail: { status: 429, times: 2 } });
    const bare = await call("GET", "/Users");
    expect([bare.status, bare.headers.get("retry-after")]).toEqual([429, null]);
    expect((await call("GET", "/Users")).status).toBe(429);
    expect((await call("GET", "/Users")).status).toBe(200);
  });

  it("answers 503 until the fault is cleared, and only for the requests chosen", async () => {
    target.setFaults({ fail: { status: 503, only: ({ method }) => method === "POST" } });
    expect((await call("GET", "/Users")).status).toBe(200);
    expect((await call("POST", "/Users", { userName: "u503" })).status).toBe(503);
    expect((await call("POST", "/Users", { userName: "u503" })).status).toBe(503);
    target.setFaults({ fail: null });
    expect((await call("POST", "/Users", { userName: "u503" })).status).toBe(201);
  });

  it("delays answers", async () => {
    target.setFaults({ delayMs: 300 });
    const started = performance.now();
    await call("GET", "/Users");
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("refuses PATCHes over the change limit with 400 tooMany or 413", async () => {
    const users = [1, 2, 3].map((n) => target.addUser({ userName: `limit-${n}` }));
    const group = target.addGroup({ displayName: "Limited" });
    const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: users.map(({ id }) => ({ value: id })) }] };
    target.setFaults({ maxPatchChanges: 2 });
    const tooMany = await call("PATCH", `/Groups/${group.id}`, body);
    expect([tooMany.status, tooMany.body.scimType]).toEqual([400, "tooMany"]);
    target.setFaults({ patchLimitAnswer: "payloadTooLarge" });
    expect((await call("PATCH", `/Groups/${group.id}`, body)).status).toBe(413);
    target.setFaults({ maxPatchChanges: 3 });
    expect((await call("PATCH", `/Groups/${group.id}`, body)).status).toBe(204);
  });

  it("answers groups without members when asked to, but keeps them", async () => {
    const user = target.addUser({ userName: "member" });
    const group = target.addGroup({ displayName: "Hidden", members: [{ value: user.id }] });
    target.setFaults({ groupsWithoutMembers: true });
    expect((await call("GET", `/Groups/${group.id}?attributes=members`)).body.members).toBeUndefined();
    expect(target.groups().find(({ id }) => id === group.id)!.members).toEqual([{ value: user.id }]);
    target.setFaults({ groupsWithoutMembers: false });
    expect((await call("GET", `/Groups/${group.id}?attributes=members`)).body).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id: group.id, meta: group.meta, members: [{ value: user.id }] });
    expect((await call("GET", `/Groups/${group.id}?excludedAttributes=members`)).body.members).toBeUndefined();
  });

  it("answers 409 with or without scimType", async () => {
    target.addUser({ userName: "taken" });
    target.setFaults({ conflictScimType: null });
    const bare = await call("POST", "/Users", { userName: "taken" });
    expect([bare.status, bare.body.scimType]).toEqual([409, undefined]);
    target.setFaults({ conflictScimType: "uniqueness", conflictOnCreate: true });
    const forced = await call("POST", "/Users", { userName: "fresh" });
    expect([forced.status, forced.body.scimType]).toEqual([409, "uniqueness"]);
  });

  it("answers 404 on lookups by id, 404 for /ServiceProviderConfig, and ignores or rejects filters", async () => {
    const user = target.addUser({ userName: "lost" });
    target.setFaults({ notFoundOnGet: true, noServiceProviderConfig: true });
    expect((await call("GET", `/Users/${user.id}`)).status).toBe(404);
    expect((await call("GET", "/ServiceProviderConfig")).status).toBe(404);
    target.setFaults({ notFoundOnGet: false, noServiceProviderConfig: false, filtering: "ignored" });
    expect((await call("GET", `/Users/${user.id}`)).status).toBe(200);
    expect((await call("GET", "/ServiceProviderConfig")).body.patch).toEqual({ supported: true });
    expect((await call("GET", filterPath("Users", 'userName eq "nobody"'))).body.totalResults).toBe(target.users().length);
    target.setFaults({ filtering: "rejected" });
    expect((await call("GET", filterPath("Users", 'userName eq "nobody"'))).body.scimType).toBe("invalidFilter");
  });
});
