import { describe, expect, it } from "vitest";
import { nodesPerTest, type MusterNode } from "./support/muster-nodes.js";

/*
 * Several `muster serve` processes on one PostgreSQL database: the database, not any one node, decides
 * every conflict (issue 5, "Several nodes, one database"). Each test gets a fresh database and its own nodes.
 */

const userSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
const groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
const patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

const startNodes = nodesPerTest();

/** The node that the i-th of several requests goes through: round robin, as a load balancer would. */
const through = (nodes: readonly MusterNode[], i: number): MusterNode => nodes[i % nodes.length]!;

describe("several nodes on one PostgreSQL database", () => {
  it("starts three nodes at once on an empty database, with tenant default created by exactly one of them", async () => {
    const cluster = await startNodes(3);
    const announced = cluster.nodes.filter((node) => node.process.stderr().includes('Created tenant "default"'));
    expect(announced).toHaveLength(1);
    const tenants = JSON.parse(await cluster.cli(["tenants", "list", "--json"])) as { slug: string }[];
    expect(tenants.map((tenant) => tenant.slug)).toEqual(["default"]);
  });

  it("answers one 201 and 409 uniqueness for every other create of the same userName sent through three nodes at once", async () => {
    const cluster = await startNodes(3);
    const { slug, token } = await cluster.tenant("acme");
    const { nodes } = cluster;
    // Warm each node's token cache, so the creates reach the database together rather than behind a lookup.
    for (const node of nodes) expect((await node.scim(slug, token, "GET", "/Users?count=1")).status).toBe(200);

    for (const round of [1, 2, 3]) {
      // userName is not case-exact (RFC 7643 §4.1.1): differently cased spellings are the same name.
      const spellings = [`grace.hopper.${round}@example.org`, `Grace.Hopper.${round}@Example.org`, `GRACE.HOPPER.${round}@EXAMPLE.ORG`];
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => through(nodes, i).scim(slug, token, "POST", "/Users", { body: { schemas: [userSchema], userName: spellings[i % 3], externalId: `request-${i}` } })),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201), `round ${round}: ${statuses.join(",")}`).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(29);
      for (const conflict of answers.filter((answer) => answer.status === 409)) {
        expect(conflict.body).toMatchObject({ schemas: [errorSchema], status: "409", scimType: "uniqueness" });
      }
      const created = answers.find((answer) => answer.status === 201)!.body;
      for (const node of nodes) {
        const found = await node.scim(slug, token, "GET", `/Users?filter=${encodeURIComponent(`userName eq "grace.hopper.${round}@example.org"`)}`);
        expect(found.body.totalResults, `node ${node.name}`).toBe(1);
        expect(found.body.Resources[0]).toMatchObject({ id: created.id, userName: created.userName, externalId: created.externalId });
      }
    }
    const all = await nodes[0]!.scim(slug, token, "GET", "/Users?count=100");
    expect(all.body.totalResults).toBe(3);
  });

  it("keeps every member change when 45 PATCHes of one group, adds and removes, arrive through three nodes at once", async () => {
    const cluster = await startNodes(3);
    const { slug, token } = await cluster.tenant("acme");
    const { nodes } = cluster;
    const users = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const answer = await through(nodes, i).scim(slug, token, "POST", "/Users", { body: { schemas: [userSchema], userName: `member-${i}@example.org` } });
        expect(answer.status).toBe(201);
        return answer.body.id as string;
      }),
    );
    const created = await nodes[0]!.scim(slug, token, "POST", "/Groups", {
      body: { schemas: [groupSchema], displayName: "Engineering", members: users.slice(0, 30).map((value) => ({ value })) },
    });
    expect(created.status).toBe(201);
    const group = `/Groups/${created.body.id}`;

    // One member per request: Entra ID's add (ENT-54), and both remove forms of ENT-55 (a value list, and the filtered path Okta also sends).
    const adds = users.slice(30).map((value) => ({ schemas: [patchSchema], Operations: [{ op: "Add", path: "members", value: [{ value }] }] }));
    const removes = users.slice(0, 15).map((value, i) => ({
      schemas: [patchSchema],
      Operations: [i % 2 === 0 ? { op: "Remove", path: "members", value: [{ value }] } : { op: "remove", path: `members[value eq "${value}"]` }],
    }));
    const patches = adds.flatMap((add, i) => [add, ...(removes[i] ? [removes[i]] : [])]);
    const answers = await Promise.all(patches.map((body, i) => through(nodes, i).scim(slug, token, "PATCH", group, { body })));
    const failed = answers.filter((answer) => answer.status !== 200 && answer.status !== 204);
    expect(failed.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);

    const expected = users.slice(15).sort();
    const views = await Promise.all(nodes.map((node) => node.scim(slug, token, "GET", group)));
    for (const [i, view] of views.entries()) {
      expect(view.status).toBe(200);
      expect(view.body.members.map((member: { value: string }) => member.value).sort(), `members seen through node ${nodes[i]!.name}`).toEqual(expected);
      // Every PATCH changed the group once: the version counts them, and every node reports the same one.
      expect(view.body.meta.version).toBe(`W/"${1 + patches.length}"`);
      expect(view.headers.get("etag")).toBe(view.body.meta.version);
      expect(view.body.meta.lastModified).toBe(views[0]!.body.meta.lastModified);
    }
    expect(Date.parse(views[0]!.body.meta.lastModified)).toBeGreaterThan(Date.parse(created.body.meta.lastModified));
    // Membership is also right from the members' side.
    const memberOf = await nodes[1]!.scim(slug, token, "GET", `/Groups?filter=${encodeURIComponent(`members.value eq "${users[59]}"`)}`);
    expect(memberOf.body.totalResults).toBe(1);
    const removed = await nodes[2]!.scim(slug, token, "GET", `/Groups?filter=${encodeURIComponent(`members.value eq "${users[0]}"`)}`);
    expect(removed.body.totalResults).toBe(0);
  });

  it("answers 412 to a PUT, PATCH or DELETE through one node with an ETag another node has made stale, and 200 with the fresh one", async () => {
    const cluster = await startNodes(3);
    const { slug, token } = await cluster.tenant("acme");
    const [a, b, c] = cluster.nodes as [MusterNode, MusterNode, MusterNode];
    const created = await a.scim(slug, token, "POST", "/Users", { body: { schemas: [userSchema], userName: "ada@example.org", displayName: "Ada" } });
    expect(created.status).toBe(201);
    const path = `/Users/${created.body.id}`;
    const read = await a.scim(slug, token, "GET", path);
    const stale = read.headers.get("etag")!;
    expect(stale).toBe(read.body.meta.version);

    const updated = await b.scim(slug, token, "PUT", path, { headers: { "if-match": stale }, body: { schemas: [userSchema], userName: "ada@example.org", displayName: "Ada Lovelace" } });
    expect(updated.status).toBe(200);
    const fresh = updated.headers.get("etag")!;
    expect(fresh).not.toBe(stale);

    const refused = [
      await a.scim(slug, token, "PUT", path, { headers: { "if-match": stale }, body: { schemas: [userSchema], userName: "ada@example.org", displayName: "Stale A" } }),
      await c.scim(slug, token, "PATCH", path, { headers: { "if-match": stale }, body: { schemas: [patchSchema], Operations: [{ op: "replace", path: "displayName", value: "Stale C" }] } }),
      await c.scim(slug, token, "DELETE", path, { headers: { "if-match": stale } }),
    ];
    for (const answer of refused) expect(answer.body).toMatchObject({ schemas: [errorSchema], status: "412" });
    expect(refused.map((answer) => answer.status)).toEqual([412, 412, 412]);
    for (const node of [a, b, c]) {
      const now = await node.scim(slug, token, "GET", path);
      expect(now.body.displayName, `node ${node.name}`).toBe("Ada Lovelace");
      expect(now.headers.get("etag")).toBe(fresh);
    }

    const patched = await c.scim(slug, token, "PATCH", path, { headers: { "if-match": fresh }, body: { schemas: [patchSchema], Operations: [{ op: "replace", path: "displayName", value: "Countess" }] } });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe("Countess");
    const replaced = await a.scim(slug, token, "PUT", path, { headers: { "if-match": patched.headers.get("etag")! }, body: { schemas: [userSchema], userName: "ada@example.org", displayName: "Ada" } });
    expect(replaced.status).toBe(200);
  });

  it("lets exactly one of three writes carrying the same ETag win when they reach three nodes at once", async () => {
    const cluster = await startNodes(3);
    const { slug, token } = await cluster.tenant("acme");
    const { nodes } = cluster;
    for (const node of nodes) expect((await node.scim(slug, token, "GET", "/Users?count=1")).status).toBe(200);
    const created = await nodes[0]!.scim(slug, token, "POST", "/Users", { body: { schemas: [userSchema], userName: "race@example.org" } });
    const path = `/Users/${created.body.id}`;
    let etag: string = created.headers.get("etag")!;
    for (const round of [1, 2, 3, 4, 5]) {
      const answers = await Promise.all(
        nodes.map((node) =>
          node.scim(slug, token, "PATCH", path, { headers: { "if-match": etag }, body: { schemas: [patchSchema], Operations: [{ op: "replace", path: "displayName", value: `round ${round} via ${node.name}` }] } }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses, `round ${round}`).toEqual([200, 412, 412]);
      const winner = answers.find((answer) => answer.status === 200)!;
      const now = await nodes[(round + 1) % 3]!.scim(slug, token, "GET", path);
      expect(now.body.displayName).toBe(winner.body.displayName);
      expect(now.headers.get("etag")).toBe(winner.headers.get("etag"));
      etag = winner.headers.get("etag")!;
    }
    expect(etag).toBe('W/"6"');
  });
});
