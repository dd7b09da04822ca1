import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let tenant: TestTenant;
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.addTenant("listing");
  for (let i = 0; i < 25; i++) {
    const n = String(i).padStart(2, "0");
    const response = await tenant.request("POST", "/Users", {
      body: userBody(`user${n}@example.com`, {
        externalId: `ext-${n}`,
        displayName: i % 2 === 0 ? `Even ${n}` : `Odd ${n}`,
        active: i % 3 !== 0,
        name: { givenName: `Given${n}`, familyName: i < 5 ? "Sales and Marketing" : `Family${n}` },
        emails: [
          { value: `user${n}@example.com`, type: "work", primary: true },
          { value: `home${n}@home.example`, type: "home" },
        ],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: i < 10 ? "Finance" : "Research" },
      }),
    });
    expect(response.status).toBe(201);
  }
});
afterAll(() => server.close());

describe("GET /Users with a filter", () => {
  it("finds a userName case-insensitively and answers a miss with 200 and an empty ListResponse (ENT-10, OKT-11)", async () => {
    const hit = await tenant.request("GET", `/Users?${q('userName eq "USER07@Example.com"')}`);
    expect(hit.status).toBe(200);
    expect(hit.body.totalResults).toBe(1);
    expect(hit.body.Resources[0].userName).toBe("user07@example.com");
    const miss = await tenant.request("GET", `/Users?${q('userName eq "09d1c6a2-4b7e-4f0e-9c43-2f5d8e1a7b66"')}`);
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it("decodes a form-encoded filter with + for spaces", async () => {
    const response = await tenant.request("GET", "/Users?filter=userName+eq+%22user03%40example.com%22");
    expect(response.body.totalResults).toBe(1);
  });

  it("matches externalId exactly (caseExact)", async () => {
    expect((await tenant.request("GET", `/Users?${q('externalId eq "ext-04"')}`)).body.totalResults).toBe(1);
    expect((await tenant.request("GET", `/Users?${q('externalId eq "EXT-04"')}`)).body.totalResults).toBe(0);
  });

  it("supports and/or/not with precedence and parentheses", async () => {
    const precedence = await tenant.request("GET", `/Users?${q('userName eq "user00@example.com" or userName eq "user01@example.com" and active eq false')}&count=100`);
    // user00 matches the left side; user01 is active (1 % 3 !== 0), so the right side is false.
    expect(precedence.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["user00@example.com"]);
    const grouped = await tenant.request("GET", `/Users?${q('(userName eq "user00@example.com" or userName eq "user01@example.com") and active eq true')}`);
    expect(grouped.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["user01@example.com"]);
    const negated = await tenant.request("GET", `/Users?${q('not (active eq true)')}&count=100`);
    expect(negated.body.totalResults).toBe(9);
  });

  it("does not split on 'and' inside a string literal", async () => {
    const response = await tenant.request("GET", `/Users?${q('name.familyName eq "sales and marketing"')}&count=100`);
    expect(response.body.totalResults).toBe(5);
  });

  it("evaluates value filters on one element and sub-attribute filters on any element", async () => {
    const work = await tenant.request("GET", `/Users?${q('emails[type eq "work" and value co "user1"]')}&count=100`);
    expect(work.body.totalResults).toBe(10);
    const mixed = await tenant.request("GET", `/Users?${q('emails[type eq "work" and value co "home"]')}`);
    expect(mixed.body.totalResults).toBe(0);
    const anyElement = await tenant.request("GET", `/Users?${q('emails.value eq "home12@home.example"')}`);
    expect(anyElement.body.Resources[0].userName).toBe("user12@example.com");
    const dotted = await tenant.request("GET", `/Users?${q('emails[type eq "work"].value eq "user13@example.com"')}`);
    expect(dotted.body.totalResults).toBe(1);
  });

  it("supports co, sw, ew, pr, ne, schema-URN-prefixed and case-insensitive attribute names", async () => {
    expect((await tenant.request("GET", `/Users?${q('displayName sw "even"')}&count=100`)).body.totalResults).toBe(13);
    expect((await tenant.request("GET", `/Users?${q('userName ew "9@EXAMPLE.COM"')}`)).body.totalResults).toBe(2);
    expect((await tenant.request("GET", `/Users?${q('title pr')}`)).body.totalResults).toBe(0);
    expect((await tenant.request("GET", `/Users?${q('displayName ne "Even 00"')}&count=100`)).body.totalResults).toBe(24);
    expect((await tenant.request("GET", `/Users?${q('USERNAME Eq "user05@example.com"')}`)).body.totalResults).toBe(1);
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "finance"';
    expect((await tenant.request("GET", `/Users?${q(urn)}&count=100`)).body.totalResults).toBe(10);
    const core = 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "user06@example.com"';
    expect((await tenant.request("GET", `/Users?${q(core)}`)).body.totalResults).toBe(1);
  });

  it("compares dateTime chronologically", async () => {
    expect((await tenant.request("GET", `/Users?${q('meta.created gt "2000-01-01T00:00:00Z"')}&count=100`)).body.totalResults).toBe(25);
    expect((await tenant.request("GET", `/Users?${q('meta.lastModified lt "2000-01-01T00:00:00+02:00"')}`)).body.totalResults).toBe(0);
  });

  it("answers 400 invalidFilter with a message that points at the problem", async () => {
    const bad = await tenant.request("GET", `/Users?${q('userName qq "x"')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe("invalidFilter");
    expect(bad.body.detail).toMatch(/position/i);
    const unknown = await tenant.request("GET", `/Users?${q('shoeSize eq 42')}`);
    expect(unknown.body.scimType).toBe("invalidFilter");
    expect(unknown.body.detail).toContain("shoeSize");
    const boolOrder = await tenant.request("GET", `/Users?${q('active gt true')}`);
    expect(boolOrder.body.scimType).toBe("invalidFilter");
    const bare = await tenant.request("GET", `/Users?filter=${encodeURIComponent("user01@example.com")}`);
    expect(bare.status).toBe(400);
  });

  it("treats injection attempts as plain values", async () => {
    const response = await tenant.request("GET", `/Users?${q(`userName eq "x\\" or 1=1 --"`)}`);
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(0);
    const quote = await tenant.request("GET", `/Users?${q(`userName eq "'); DROP TABLE users; --"`)}`);
    expect(quote.body.totalResults).toBe(0);
    expect((await tenant.request("GET", "/Users?count=0")).body.totalResults).toBe(25);
  });
});

describe("sorting and index paging", () => {
  it("sorts by any attribute in both orders", async () => {
    const asc = await tenant.request("GET", "/Users?sortBy=name.givenName&count=3");
    expect(asc.body.Resources.map((u: { name: { givenName: string } }) => u.name.givenName)).toEqual(["Given00", "Given01", "Given02"]);
    const desc = await tenant.request("GET", "/Users?sortBy=userName&sortOrder=descending&count=2");
    expect(desc.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["user24@example.com", "user23@example.com"]);
  });

  it("pages with startIndex/count: stable order, no gaps or duplicates, numeric fields (OKT-13)", async () => {
    const seen: string[] = [];
    for (let start = 1; start <= 25; start += 10) {
      const page = await tenant.request("GET", `/Users?startIndex=${start}&count=10`);
      expect(page.body).toMatchObject({ totalResults: 25, startIndex: start, itemsPerPage: Math.min(10, 26 - start) });
      seen.push(...page.body.Resources.map((u: { id: string }) => u.id));
    }
    expect(new Set(seen).size).toBe(25);
  });

  it("clamps count and startIndex as RFC 7644 §3.4.2.4 says", async () => {
    const zero = await tenant.request("GET", "/Users?count=0");
    expect(zero.body).toMatchObject({ totalResults: 25, itemsPerPage: 0, Resources: [] });
    const negative = await tenant.request("GET", "/Users?count=-5");
    expect(negative.body.itemsPerPage).toBe(0);
    const startZero = await tenant.request("GET", "/Users?startIndex=0&count=1");
    expect(startZero.body.startIndex).toBe(1);
    const beyond = await tenant.request("GET", "/Users?startIndex=1000");
    expect(beyond.status).toBe(200);
    expect(beyond.body.Resources).toEqual([]);
    const huge = await tenant.request("GET", "/Users?count=100000");
    expect(huge.body.itemsPerPage).toBe(25);
    const notNumber = await tenant.request("GET", "/Users?startIndex=abc");
    expect(notNumber.status).toBe(400);
  });
});

describe("cursor paging (RFC 9865)", () => {
  it("walks every user once with nextCursor and omits it on the last page", async () => {
    const seen: string[] = [];
    let cursor = "";
    for (let guard = 0; guard < 10; guard++) {
      const page = await tenant.request("GET", `/Users?cursor=${encodeURIComponent(cursor)}&count=10&sortBy=userName`);
      expect(page.status).toBe(200);
      expect(page.body.startIndex).toBeUndefined();
      seen.push(...page.body.Resources.map((u: { userName: string }) => u.userName));
      if (!page.body.nextCursor) break;
      expect(page.body.nextCursor).toMatch(/^[A-Za-z0-9._~-]+$/);
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(25);
  });

  it("rejects a tampered cursor and a cursor from another query with 400 invalidCursor", async () => {
    const first = await tenant.request("GET", "/Users?cursor&count=5");
    const cursor: string = first.body.nextCursor;
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith("A") ? "BB" : "AA"}`;
    const bad = await tenant.request("GET", `/Users?cursor=${tampered}&count=5`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe("invalidCursor");
    const other = await tenant.request("GET", `/Users?cursor=${cursor}&count=5&sortBy=userName`);
    expect(other.body.scimType).toBe("invalidCursor");
  });
});

describe("POST .search", () => {
  it("searches with a SearchRequest body on /Users/.search", async () => {
    const response = await tenant.request("POST", "/Users/.search", {
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'displayName sw "Odd"', attributes: ["userName"], startIndex: 1, count: 5, sortBy: "userName" },
    });
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(12);
    expect(response.body.Resources[0]).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: expect.any(String), userName: "user01@example.com" });
  });

  it("searches across resource types on the base URL", async () => {
    await tenant.request("POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Everyone" } });
    const response = await tenant.request("POST", "/.search", { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 1000 } });
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(26);
    const types = response.body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType);
    expect(types.filter((t: string) => t === "Group")).toHaveLength(1);
  });
});
