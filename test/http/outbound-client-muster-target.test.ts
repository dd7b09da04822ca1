import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScimTargetClient } from "../../src/outbound/client/scim-target-client.js";
import { testConnection } from "../../src/outbound/client/test-connection.js";
import { startTestServer, type TestServer, type TestTenant } from "../support/scim-server.js";

/** The outbound client and Test Connection against a real Muster tenant as the target, over real HTTP on 127.0.0.1. */
describe("outbound client against a Muster tenant", () => {
  let server: TestServer;
  let tenant: TestTenant;
  let client: ScimTargetClient;

  beforeAll(async () => {
    server = await startTestServer();
    tenant = await server.addTenant("outbound-target");
    client = new ScimTargetClient({ baseUrl: tenant.baseUrl, token: tenant.token, allowPrivateAddresses: true });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("passes Test Connection with every probe green and writes nothing", async () => {
    const report = await testConnection(client, { userMatching: ["userName", "externalId"], groupMatching: ["displayName"] });
    expect(report.probes.filter((probe) => !probe.ok || probe.warning)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.features).toMatchObject({ patch: true, filter: true });
    const users = await tenant.request("GET", "/Users");
    const groups = await tenant.request("GET", "/Groups");
    expect([users.body.totalResults, groups.body.totalResults]).toEqual([0, 0]);
  });

  it("fails Test Connection's token probe with a readable summary when the token is wrong", async () => {
    const wrong = new ScimTargetClient({ baseUrl: tenant.baseUrl, token: "mst_wrong_token", allowPrivateAddresses: true });
    try {
      const report = await testConnection(wrong);
      expect(report.ok).toBe(false);
      expect(report.probes.find((probe) => probe.id === "authenticated")).toMatchObject({ ok: false, summary: expect.stringMatching(/^The Secret Token was refused: the target answered 401/) });
    } finally {
      await wrong.close();
    }
  });

  it("creates, finds, fills, reads back and deletes through the engine's operations", async () => {
    const users = [];
    for (const name of ["ann", "bob", "cy"]) {
      users.push((await client.create("Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `${name}@example.test`, externalId: `src-${name}` })).value);
    }
    expect((await client.findResources("Users", "externalId", "src-bob")).value.resources.map(({ id }) => id)).toEqual([users[1]!.id]);
    await expect(client.create("Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ANN@example.test" })).rejects.toMatchObject({ kind: "conflict", scimType: "uniqueness" });

    const group = (await client.create("Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Sales and Marketing", members: [] })).value;
    expect((await client.findResources("Groups", "displayName", "sales and marketing")).value.resources.map(({ id }) => id)).toEqual([group.id]);
    const small = new ScimTargetClient({ baseUrl: tenant.baseUrl, token: tenant.token, allowPrivateAddresses: true, memberChangesPerPatch: 2 });
    try {
      const added = await small.patchMembers(group.id, users.map(({ id }) => id), []);
      expect(added.value).toEqual({ changesPerPatch: 2, lowered: false, requests: 2 });
      expect([...(await client.readMembers(group.id)).value.members].sort()).toEqual(users.map(({ id }) => id).sort());
      await small.patchMembers(group.id, [], [users[0]!.id, users[2]!.id]);
    } finally {
      await small.close();
    }
    expect((await client.readMembers(group.id)).value).toEqual({ members: [users[1]!.id], membersReturned: true });

    expect((await client.patch("Users", users[1]!.id, [{ op: "replace", path: "active", value: false }])).value?.active).toBe(false);
    expect((await client.delete("Users", users[1]!.id)).value).toBe("deleted");
    expect((await client.delete("Users", users[1]!.id)).value).toBe("alreadyGone");
    await expect(client.getResource("Users", users[1]!.id)).rejects.toMatchObject({ kind: "notFound" });
  });
});
