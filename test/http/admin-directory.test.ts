import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { groupBody, patchBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let admin: AdminSession;
let acme: TestTenant;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAdmin(server);
  acme = await server.addTenant("acme");
  const other = await server.addTenant("other");
  const people = [
    ["alex.ng@acme.example", { givenName: "Alex", familyName: "Ng" }, true],
    ["sam.lee@acme.example", { formatted: "Sam Lee" }, true],
    ["kim.ng@acme.example", { givenName: "Kim", familyName: "Ng" }, false],
    ["pat@contractor.example", undefined, true],
  ] as const;
  for (const [userName, name, active] of people) {
    const body = userBody(userName, { active, emails: [{ value: userName, type: "work", primary: true }], ...(name ? { name } : {}) });
    ids[userName] = (await acme.request("POST", "/Users", { body })).body.id;
  }
  ids.staff = (await acme.request("POST", "/Groups", { body: groupBody("Staff", { externalId: "staff-1", members: [ids["alex.ng@acme.example"], ids["sam.lee@acme.example"], ids["kim.ng@acme.example"]].map((value) => ({ value })) }) })).body.id;
  ids.ngs = (await acme.request("POST", "/Groups", { body: groupBody("Ng family", { members: [{ value: ids["alex.ng@acme.example"] }, { value: ids["kim.ng@acme.example"] }, { value: ids.staff }] }) })).body.id;
  await other.request("POST", "/Users", { body: userBody("alex@other.example") });
});
afterAll(() => server.close());

const apiError = (code: string, field: string | null = null) => ({ error: { code, message: expect.any(String), field } });

describe("GET /tenants/{slug}/users", () => {
  it("lists users newest first with the table's columns and the total", async () => {
    const response = await admin.request("GET", "/tenants/acme/users");
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(4);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items.map((row: { userName: string }) => row.userName)).toEqual(["pat@contractor.example", "kim.ng@acme.example", "sam.lee@acme.example", "alex.ng@acme.example"]);
    expect(response.body.items[1]).toEqual({ id: ids["kim.ng@acme.example"], userName: "kim.ng@acme.example", name: "Kim Ng", email: "kim.ng@acme.example", active: false, lastModified: expect.any(String) });
  });

  it("searches case-insensitively by name, email and domain", async () => {
    const names = async (q: string) => (await admin.request("GET", `/tenants/acme/users?q=${encodeURIComponent(q)}`)).body.items.map((row: { userName: string }) => row.userName);
    expect(await names("NG")).toEqual(["kim.ng@acme.example", "alex.ng@acme.example"]);
    expect(await names("sam lee")).toEqual(["sam.lee@acme.example"]);
    expect(await names("contractor.example")).toEqual(["pat@contractor.example"]);
    expect(await names("nobody")).toEqual([]);
  });

  it("filters with SCIM filters, sorts, and pages with a cursor", async () => {
    const filtered = await admin.request("GET", `/tenants/acme/users?filter=${encodeURIComponent('active eq true and emails.value ew "acme.example"')}&sortBy=userName&sortOrder=ascending&count=1`);
    expect(filtered.body).toMatchObject({ total: 2, items: [{ userName: "alex.ng@acme.example" }] });
    const next = await admin.request("GET", `/tenants/acme/users?filter=${encodeURIComponent('active eq true and emails.value ew "acme.example"')}&sortBy=userName&sortOrder=ascending&count=1&cursor=${filtered.body.nextCursor}`);
    expect(next.body).toMatchObject({ total: 2, items: [{ userName: "sam.lee@acme.example" }], nextCursor: null });
  });

  it.each([
    ["filter=userName%20eq", "filter"],
    ["sortBy=nope", "sortBy"],
    ["sortOrder=sideways", "sortOrder"],
    ["count=0", "count"],
    ["count=1000", "count"],
    ["cursor=forged", "cursor"],
    ["q=a&q=b", "q"],
  ])("answers 400 invalid naming the parameter for ?%s", async (query, field) => {
    expect(await admin.request("GET", `/tenants/acme/users?${query}`)).toMatchObject({ status: 400, body: apiError("invalid", field) });
  });

  it("answers 404 for an unknown tenant and never shows another tenant's users", async () => {
    expect(await admin.request("GET", "/tenants/nope/users")).toMatchObject({ status: 404, body: apiError("not_found") });
    expect((await admin.request("GET", "/tenants/other/users?q=alex")).body.total).toBe(1);
    expect((await admin.request("GET", "/tenants/acme/users?q=other.example")).body.total).toBe(0);
  });
});

describe("GET /tenants/{slug}/users/{id}", () => {
  it("gives the user exactly as SCIM returns it, and its groups", async () => {
    const id = ids["alex.ng@acme.example"]!;
    const response = await admin.request("GET", `/tenants/acme/users/${id}`);
    expect(response.status).toBe(200);
    const scim = await acme.request("GET", `/Users/${id}`);
    expect(response.body.resource).toEqual(scim.body);
    expect(response.body.groups).toEqual([
      { id: ids.staff, displayName: "Staff" },
      { id: ids.ngs, displayName: "Ng family" },
    ].sort((a, b) => (a.id! < b.id! ? -1 : 1)));
  });

  it("answers 404 for an unknown user or a user of another tenant", async () => {
    expect(await admin.request("GET", "/tenants/acme/users/nope")).toMatchObject({ status: 404, body: apiError("not_found") });
    expect((await admin.request("GET", `/tenants/other/users/${ids["alex.ng@acme.example"]}`)).status).toBe(404);
  });
});

describe("groups", () => {
  it("lists groups by name with member counts, searchable", async () => {
    const response = await admin.request("GET", "/tenants/acme/groups");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        { id: ids.ngs, displayName: "Ng family", externalId: null, memberCount: 3, lastModified: expect.any(String) },
        { id: ids.staff, displayName: "Staff", externalId: "staff-1", memberCount: 3, lastModified: expect.any(String) },
      ],
      total: 2,
      nextCursor: null,
    });
    expect((await admin.request("GET", "/tenants/acme/groups?q=fam")).body.items.map((row: { id: string }) => row.id)).toEqual([ids.ngs]);
    expect((await admin.request("GET", "/tenants/acme/groups?filter=externalId%20eq%20%22staff-1%22")).body.total).toBe(1);
    expect(await admin.request("GET", "/tenants/acme/groups?filter=userName%20eq%20%22x%22")).toMatchObject({ status: 400, body: apiError("invalid", "filter") });
  });

  it("gives a group as SCIM returns it but without members, and its member count", async () => {
    const response = await admin.request("GET", `/tenants/acme/groups/${ids.ngs}`);
    expect(response.status).toBe(200);
    const scim = await acme.request("GET", `/Groups/${ids.ngs}?excludedAttributes=members`);
    expect(response.body).toEqual({ resource: scim.body, memberCount: 3 });
    expect(await admin.request("GET", "/tenants/acme/groups/nope")).toMatchObject({ status: 404, body: apiError("not_found") });
  });

  it("pages a group's members with display names", async () => {
    const first = await admin.request("GET", `/tenants/acme/groups/${ids.ngs}/members?count=2`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.items).toHaveLength(2);
    const second = await admin.request("GET", `/tenants/acme/groups/${ids.ngs}/members?count=2&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items];
    expect(all.map((m: { id: string }) => m.id)).toEqual([ids["alex.ng@acme.example"], ids["kim.ng@acme.example"], ids.staff].sort());
    expect(all.find((m: { id: string }) => m.id === ids.staff)).toEqual({ id: ids.staff, type: "Group", display: "Staff" });
    expect(all.find((m: { id: string }) => m.id === ids["kim.ng@acme.example"])).toEqual({ id: ids["kim.ng@acme.example"], type: "User", display: "kim.ng@acme.example" });
  });

  it("answers 404 for the members of an unknown group and 400 for a cursor of another group", async () => {
    expect(await admin.request("GET", "/tenants/acme/groups/nope/members")).toMatchObject({ status: 404, body: apiError("not_found") });
    const first = await admin.request("GET", `/tenants/acme/groups/${ids.ngs}/members?count=1`);
    expect(await admin.request("GET", `/tenants/acme/groups/${ids.staff}/members?cursor=${first.body.nextCursor}`)).toMatchObject({ status: 400, body: apiError("invalid", "cursor") });
  });

  it("follows SCIM changes: a removed member leaves the count and the list", async () => {
    await acme.request("PATCH", `/Groups/${ids.staff}`, { body: patchBody({ op: "remove", path: `members[value eq "${ids["kim.ng@acme.example"]}"]` }) });
    expect((await admin.request("GET", `/tenants/acme/groups/${ids.staff}`)).body.memberCount).toBe(2);
    expect((await admin.request("GET", `/tenants/acme/groups/${ids.staff}/members`)).body.total).toBe(2);
  });
});
