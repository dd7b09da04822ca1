import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFaultTarget, type FaultTarget } from "../../../test/support/fault-target.js";
import type { Resolver } from "./address-guard.js";
import type { Exchange } from "./request-record.js";
import { ScimTargetClient, type ScimTargetClientOptions } from "./scim-target-client.js";
import { TargetError } from "./target-error.js";
import { targetFailure } from "./testing/target-failure.js";

/** What the client refuses to do: internal addresses, redirects, slow or oversized answers, leaking the token. */
describe("ScimTargetClient safety", () => {
  let target: FaultTarget;
  let port: number;
  const clients: ScimTargetClient[] = [];
  const open = (options: Partial<ScimTargetClientOptions> = {}) => {
    const client = new ScimTargetClient({ baseUrl: target.baseUrl, token: target.token, sleep: async () => {}, ...options });
    clients.push(client);
    return client;
  };
  const fails = targetFailure;
  const pointAt =
    (address: string, family: 4 | 6 = 4): Resolver =>
    async () => [{ address, family }];

  beforeAll(async () => {
    target = await startFaultTarget();
    port = Number(new URL(target.baseUrl).port);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await target.close();
  });
  beforeEach(() => {
    target.clearFaults();
    target.clearRequests();
  });

  describe("private addresses", () => {
    it("refuses 127.0.0.1 by default without sending anything, and allows it with the option", async () => {
      const error = await fails(open().findResources("Users", "userName", "x"));
      expect(error).toMatchObject({ kind: "refused", code: "privateAddress", maybeSent: false, record: { attempts: 1, kind: "refused" } });
      expect(error.message).toContain("127.0.0.1 is a loopback address");
      expect(error.fix).toMatch(/MUSTER_APPS_ALLOW_PRIVATE=true/);
      expect(target.requests()).toEqual([]);
      expect((await open({ allowPrivateAddresses: true }).findResources("Users", "userName", "x")).value.totalResults).toBe(0);
    });

    it("refuses a host name that resolves to loopback (localhost through the system resolver)", async () => {
      const error = await fails(open({ baseUrl: `http://localhost:${port}/scim/v2` }).findResources("Users", "userName", "x"));
      expect(error).toMatchObject({ kind: "refused", code: "privateAddress" });
      expect(error.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
      expect(target.requests()).toEqual([]);
    });

    it("refuses a name that resolves to a private or IPv4-mapped loopback address", async () => {
      for (const [address, family] of [["127.0.0.1", 4], ["::ffff:127.0.0.1", 6], ["10.20.30.40", 4], ["169.254.169.254", 4]] as const) {
        const error = await fails(open({ baseUrl: `http://scim.target.test:${port}/scim/v2`, resolve: pointAt(address, family) }).getServiceProviderConfig());
        expect(error, address).toMatchObject({ kind: "refused", code: "privateAddress" });
        expect(error.message).toContain(`scim.target.test resolves to ${address}`);
      }
      expect(target.requests()).toEqual([]);
    });

    it("refuses an IPv4-mapped IPv6 literal", async () => {
      const error = await fails(open({ baseUrl: `http://[::ffff:127.0.0.1]:${port}/scim/v2` }).getServiceProviderConfig());
      expect(error).toMatchObject({ kind: "refused", code: "privateAddress" });
      expect(error.message).toContain("a loopback address");
    });

    it("connects to exactly the address it checked (the name is never resolved again)", async () => {
      const resolved: string[] = [];
      const resolve: Resolver = async (host) => {
        resolved.push(host);
        return [{ address: "127.0.0.1", family: 4 }];
      };
      const client = open({ baseUrl: `http://scim.target.test:${port}/scim/v2`, resolve, allowPrivateAddresses: true });
      expect((await client.getServiceProviderConfig()).value.patch).toEqual({ supported: true });
      expect(resolved).toEqual(["scim.target.test"]);
      expect(client.connectedAddresses).toEqual([{ address: "127.0.0.1", family: 4 }]);
      expect(target.requests()[0]!.headers.host).toBe(`scim.target.test:${port}`);
    });
  });

  it("refuses a redirect and says where it pointed, without following it", async () => {
    target.setFaults({ fail: { status: 302, headers: { location: "https://login.example.test/sso" }, times: 1 } });
    const error = await fails(open({ allowPrivateAddresses: true }).getResource("Users", "abc"));
    expect(error).toMatchObject({ kind: "refused", code: "redirect", status: 302 });
    expect(error.message).toContain("a redirect to https://login.example.test/sso");
    expect(target.requests()).toHaveLength(1);
  });

  it("gives up on an answer slower than the timeout", async () => {
    target.setFaults({ delayMs: 1500 });
    const started = performance.now();
    const error = await fails(open({ allowPrivateAddresses: true, timeoutMs: 200, retry: { maxAttempts: 1 } }).getServiceProviderConfig());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ kind: "transient", code: "timeout", maybeSent: true, status: undefined });
    expect(error.message).toContain("no answer within 200 ms");
  });

  it("drops an answer larger than the limit (declared length)", async () => {
    const user = target.addUser({ userName: "big", description: "x".repeat(5000) });
    const error = await fails(open({ allowPrivateAddresses: true, maxResponseBytes: 1024 }).getResource("Users", user.id));
    expect(error).toMatchObject({ kind: "invalidResponse", code: "tooLarge" });
    expect(error.message).toContain("larger than the limit of 1 KiB");
  });

  describe("a streamed answer without a length", () => {
    let server: Server;
    let written = 0;
    let closedEarly = false;
    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/scim+json" });
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        const timer = setInterval(() => {
          if (written >= 4 * 1024 * 1024) {
            clearInterval(timer);
            response.end();
            return;
          }
          written += chunk.length;
          response.write(chunk);
        }, 2);
        response.on("close", () => {
          clearInterval(timer);
          closedEarly = written < 4 * 1024 * 1024;
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it("is read only up to the limit, then the connection is dropped", async () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
      const error = await fails(open({ baseUrl: base, allowPrivateAddresses: true, maxResponseBytes: 64 * 1024 }).getServiceProviderConfig());
      expect(error).toMatchObject({ kind: "invalidResponse", code: "tooLarge" });
      await expect.poll(() => closedEarly).toBe(true);
      expect(written).toBeLessThan(1024 * 1024);
    });
  });

  it("never puts the token in an error, a record or an exchange, even when the target echoes it", async () => {
    const token = target.token;
    const exchanges: Exchange[] = [];
    const collected: unknown[] = [];
    const client = open({ allowPrivateAddresses: true, onExchange: (exchange) => exchanges.push(exchange), retry: { maxAttempts: 2 } });
    const scenarios: [Parameters<FaultTarget["setFaults"]>[0], () => Promise<unknown>][] = [
      [{ fail: { status: 400, detail: `bad request for Bearer ${token}` } }, () => client.create("Users", { userName: "x" })],
      [{ fail: { status: 401, detail: `token ${token} is unknown` } }, () => client.getResource("Users", "x")],
      [{ fail: { status: 302, headers: { location: `https://elsewhere.test/?access_token=${token}` } } }, () => client.getResource("Users", "x")],
      [{ fail: { status: 503, detail: token } }, () => client.findResources("Users", "userName", "x")],
      [{ fail: { status: 429, retryAfter: 1, detail: token } }, () => client.patchMembers("g", ["a"], [])],
      [{ fail: { status: 500, detail: `Rate limit for ${token}` } }, () => client.delete("Groups", "g")],
      [{ delayMs: 400 }, () => open({ allowPrivateAddresses: true, timeoutMs: 100, retry: { maxAttempts: 1 } }).getServiceProviderConfig()],
      [{}, () => open({ token }).getServiceProviderConfig()],
      [{}, () => open({ token: "wrong-token", allowPrivateAddresses: true }).getResource("Users", "x")],
    ];
    for (const [faults, call] of scenarios) {
      target.clearFaults();
      target.setFaults(faults);
      const error = await fails(call());
      collected.push(error, error.toJSON(), error.message, error.stack, error.record);
    }
    expect(collected.filter((item) => item instanceof TargetError)).toHaveLength(scenarios.length);
    expect(exchanges.length).toBeGreaterThanOrEqual(8);
    const everything = JSON.stringify([collected, exchanges]) + collected.map(String).join("\n");
    expect(everything).not.toContain(token);
    expect(everything).toContain("[redacted]");
  });
});
