import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFaultTarget, type FaultTarget } from "../../../test/support/fault-target.js";
import { ScimTargetClient, type ScimTargetClientOptions } from "./scim-target-client.js";
import { testConnection, type ConnectionReport } from "./test-connection.js";

/** Test Connection against the fault target over real HTTP. */
describe("testConnection", () => {
  let target: FaultTarget;
  const clients: ScimTargetClient[] = [];
  const open = (options: Partial<ScimTargetClientOptions> = {}) => {
    const client = new ScimTargetClient({ baseUrl: target.baseUrl, token: target.token, allowPrivateAddresses: true, sleep: async () => {}, ...options });
    clients.push(client);
    return client;
  };
  const probe = (report: ConnectionReport, id: string) => report.probes.find((candidate) => candidate.id === id)!;

  beforeAll(async () => {
    target = await startFaultTarget();
    target.addUser({ userName: "existing", externalId: "x-1" });
    target.addGroup({ displayName: "Existing" });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await target.close();
  });
  beforeEach(() => {
    target.clearFaults();
    target.clearRequests();
  });

  it("passes every probe against a well-behaved target, with GET requests only", async () => {
    const report = await testConnection(open(), { userMatching: ["userName", "externalId"], groupMatching: ["displayName"] });
    expect(report.ok).toBe(true);
    expect(report.probes.map(({ id, ok, warning }) => [id, ok, warning ?? false])).toEqual([
      ["reachable", true, false],
      ["serviceProviderConfig", true, false],
      ["authenticated", true, false],
      ["userFilter:userName", true, false],
      ["userFilter:externalId", true, false],
      ["patch", true, false],
      ["groupFilter:displayName", true, false],
      ["unknownUser", true, false],
    ]);
    expect(probe(report, "reachable").summary).toBe(`Reached ${new URL(target.baseUrl).host} over plain HTTP (allowed for internal addresses only).`);
    expect(probe(report, "serviceProviderConfig").summary).toBe("Read /ServiceProviderConfig: PATCH supported, filtering supported (at most 100 results), bulk not supported, ETags not supported.");
    expect(report.features).toEqual({ patch: true, filter: true, maxResults: 100, bulk: false, bulkMaxOperations: 0, bulkMaxPayloadSize: 0, etag: false, sort: false });
    const requests = target.requests();
    expect(new Set(requests.map(({ method }) => method))).toEqual(new Set(["GET"]));
    expect(requests.map(({ query }) => query.filter).filter(Boolean)).toEqual([
      expect.stringMatching(/^userName eq "muster-probe-[0-9a-f-]{36}"$/),
      expect.stringMatching(/^externalId eq "muster-probe-/),
      expect.stringMatching(/^displayName eq "muster-probe-/),
    ]);
    expect(target.users()).toHaveLength(1);
    expect(target.groups()).toHaveLength(1);
  });

  it("fails the authenticated probe with a readable summary when the token is wrong", async () => {
    const report = await testConnection(open({ token: "wrong-token" }));
    expect(report.ok).toBe(false);
    expect(probe(report, "reachable").ok).toBe(true);
    expect(probe(report, "authenticated")).toMatchObject({
      ok: false,
      summary: "The Secret Token was refused: the target answered 401 (the bearer token is not valid).",
      fix: expect.stringMatching(/create a new token/),
    });
    expect(report.probes.slice(3).map(({ id, ok, summary }) => [id, ok, summary])).toEqual(
      [
        ["userFilter:userName", false, "Filtering users on userName: not checked, the Secret Token was refused."],
        ["userFilter:externalId", false, "Filtering users on externalId: not checked, the Secret Token was refused."],
        ["patch", false, "PATCH support: not checked, the Secret Token was refused."],
        ["groupFilter:displayName", false, "Filtering groups on displayName: not checked, the Secret Token was refused."],
        ["unknownUser", false, "A lookup of an unknown user: not checked, the Secret Token was refused."],
      ],
    );
    expect(report.probes.filter(({ required }) => !required).map(({ id }) => id)).toEqual(["serviceProviderConfig", "unknownUser"]);
  });

  it("warns but passes when there is no ServiceProviderConfig", async () => {
    target.setFaults({ noServiceProviderConfig: true });
    const report = await testConnection(open());
    expect(report.ok).toBe(true);
    expect(report.features).toBeUndefined();
    expect(probe(report, "serviceProviderConfig")).toMatchObject({ ok: true, required: false, warning: true, summary: expect.stringMatching(/has no \/ServiceProviderConfig/) });
    expect(probe(report, "patch")).toMatchObject({ ok: true, warning: true, summary: expect.stringMatching(/unknown/) });
  });

  it("fails and says so when the target ignores filters", async () => {
    target.setFaults({ filtering: "ignored" });
    const report = await testConnection(open());
    expect(report.ok).toBe(false);
    expect(probe(report, "userFilter:userName")).toMatchObject({ ok: false, summary: expect.stringMatching(/^The target ignores filters on userName: it ignored the filter: it returned Users .* whose userName is "existing"\.$/) });
    expect(probe(report, "groupFilter:displayName")).toMatchObject({ ok: false, summary: expect.stringMatching(/^The target ignores filters on displayName/) });
  });

  it("fails and says so when the target refuses filters", async () => {
    target.setFaults({ filtering: "rejected" });
    const report = await testConnection(open());
    expect(report.ok).toBe(false);
    expect(probe(report, "authenticated").ok).toBe(true);
    expect(probe(report, "userFilter:externalId")).toMatchObject({
      ok: false,
      summary: 'The target cannot look up Users by externalId: it refused the filter externalId eq "…" (answered 400).',
      detail: "filtering is not supported",
    });
  });

  it("warns when an unknown user id does not answer 404", async () => {
    target.setFaults({ fail: { status: 400, detail: "id must be numeric", only: ({ path }) => /^\/Users\/[^?]/.test(path) } });
    const report = await testConnection(open());
    expect(report.ok).toBe(true);
    expect(probe(report, "unknownUser")).toMatchObject({ ok: true, warning: true, detail: "id must be numeric" });
  });

  it("names the wait when the target throttles for longer than the client waits", async () => {
    target.setFaults({ fail: { status: 429, retryAfter: 120, only: ({ path }) => path.startsWith("/Users?") } });
    const report = await testConnection(open());
    expect(report.ok).toBe(false);
    expect(probe(report, "authenticated")).toMatchObject({ ok: false, summary: "Could not check the Secret Token: answered 429 Too Many Requests and asked Muster to wait 120 s." });
    expect(probe(report, "userFilter:userName")).toMatchObject({ ok: false, summary: "Filtering users on userName: not checked, users could not be looked up." });
  });

  it("reports an unreachable target and checks nothing else", async () => {
    const gone = await startFaultTarget();
    await gone.close();
    const report = await testConnection(open({ baseUrl: gone.baseUrl }));
    expect(report.ok).toBe(false);
    expect(probe(report, "reachable")).toMatchObject({ ok: false, summary: expect.stringMatching(/^Could not reach 127\.0\.0\.1:\d+: the connection was refused \(ECONNREFUSED\)\.$/), fix: expect.stringMatching(/host and port/) });
    expect(report.probes.slice(1).every((entry) => !entry.ok && entry.summary.endsWith(": not checked, the target could not be reached."))).toBe(true);
  });

  it("reports a refused private address as unreachable, with the fix", async () => {
    const report = await testConnection(open({ allowPrivateAddresses: false }));
    expect(probe(report, "reachable")).toMatchObject({ ok: false, summary: expect.stringMatching(/127\.0\.0\.1 is a loopback address/), fix: expect.stringMatching(/MUSTER_APPS_ALLOW_PRIVATE=true/) });
    expect(target.requests()).toEqual([]);
  });
});
