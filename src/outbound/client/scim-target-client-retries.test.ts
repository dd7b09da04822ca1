import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFaultTarget, type FaultTarget } from "../../../test/support/fault-target.js";
import { AdaptiveLimiter } from "./adaptive-limiter.js";
import type { Exchange } from "./request-record.js";
import { ScimTargetClient, type ScimTargetClientOptions } from "./scim-target-client.js";
import { targetFailure } from "./testing/target-failure.js";

/** Retries, Retry-After and adaptive concurrency against the fault target over real HTTP. */
describe("ScimTargetClient retries", () => {
  let target: FaultTarget;
  let client: ScimTargetClient;
  let exchanges: Exchange[];
  let waits: number[];
  /** A client whose waits are recorded and skipped (for tests that are not about real time). */
  const open = (options: Partial<ScimTargetClientOptions> = {}) =>
    new ScimTargetClient({
      baseUrl: target.baseUrl,
      token: target.token,
      allowPrivateAddresses: true,
      onExchange: (exchange) => exchanges.push(exchange),
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      ...options,
    });

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
    waits = [];
    client = open();
  });
  afterEach(async () => {
    await client.close();
  });

  it("waits the Retry-After seconds before retrying, measured on the clock", async () => {
    client = open({ sleep: undefined });
    target.setFaults({ fail: { status: 429, retryAfter: 1, times: 1 } });
    const started = performance.now();
    const result = await client.findResources("Users", "userName", "nobody");
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(2500);
    expect(result.records).toEqual([expect.objectContaining({ status: 200, attempts: 2 })]);
    expect(result.records[0]!.durationMs).toBeGreaterThanOrEqual(1000);
    expect(exchanges.map(({ status, retryInMs }) => [status, retryInMs])).toEqual([
      [429, 1000],
      [200, undefined],
    ]);
    const [first, second] = target.requests();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it("waits until the HTTP date a 503 names, measured on the clock", async () => {
    client = open({ sleep: undefined });
    // HTTP dates have whole seconds: two seconds ahead is between one and two seconds away.
    target.setFaults({ fail: { status: 503, retryAfter: new Date(Date.now() + 2000), times: 1 } });
    const started = performance.now();
    await client.getServiceProviderConfig();
    await client.findResources("Users", "userName", "nobody");
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
    expect(exchanges.filter(({ status }) => status === 503)).toHaveLength(1);
  });

  it("backs off with full jitter when there is no Retry-After, then gives up after 3 attempts", async () => {
    target.setFaults({ fail: { status: 503 } });
    const error = await targetFailure(client.findResources("Users", "userName", "x"));
    expect(error).toMatchObject({ kind: "transient", status: 503, retryAfterMs: undefined, record: { attempts: 3, status: 503, kind: "transient" } });
    expect(waits).toEqual([250, 500]);
    expect(target.requests()).toHaveLength(3);
  });

  it("throws at once with retryAfterMs when the target asks for longer than the bound", async () => {
    target.setFaults({ fail: { status: 429, retryAfter: 120 } });
    const error = await targetFailure(client.getResource("Users", "x"));
    expect(error).toMatchObject({ kind: "throttled", retryAfterMs: 120_000, record: { attempts: 1 } });
    expect(waits).toEqual([]);
  });

  it("gives up after the last attempt with the target's last Retry-After", async () => {
    target.setFaults({ fail: { status: 429, retryAfter: 2 } });
    await expect(client.getResource("Users", "x")).rejects.toMatchObject({ kind: "throttled", retryAfterMs: 2000, record: { attempts: 3 } });
    expect(waits).toEqual([2000, 2000]);
  });

  it("retries a POST after a 429 but not after a 503 or 500 it may have processed, unless told it is safe", async () => {
    target.setFaults({ fail: { status: 429, times: 1 } });
    expect((await client.create("Users", { userName: "after-429" })).records[0]!.attempts).toBe(2);
    target.setFaults({ fail: { status: 500, times: 1 } });
    await expect(client.create("Users", { userName: "after-500" })).rejects.toMatchObject({ kind: "transient", status: 500, record: { attempts: 1 } });
    target.setFaults({ fail: { status: 503, times: 1 } });
    await expect(client.create("Users", { userName: "after-503" })).rejects.toMatchObject({ kind: "transient", record: { attempts: 1 } });
    target.setFaults({ fail: { status: 503, times: 1 } });
    expect((await client.create("Users", { userName: "after-503" }, { retryAfterSend: true })).records[0]!.attempts).toBe(2);
    expect(target.users().map(({ userName }) => userName)).toEqual(["after-429", "after-503"]);
  });

  it("retries a POST that never arrived (connection refused)", async () => {
    const closed = await startFaultTarget();
    await closed.close();
    client = open({ baseUrl: closed.baseUrl });
    const error = await targetFailure(client.create("Users", { userName: "nobody-home" }));
    expect(error).toMatchObject({ kind: "transient", code: "ECONNREFUSED", maybeSent: false, record: { attempts: 3, status: undefined } });
    expect(error.fix).toMatch(/host and port/);
  });

  it("does not retry other failures", async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      target.setFaults({ fail: { status, times: 1 } });
      await expect(client.getResource("Users", "x")).rejects.toMatchObject({ status, record: { attempts: 1 } });
    }
    expect(waits).toEqual([]);
  });

  it("halves the concurrency on throttling and grows it back after runs of successes", async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8, growAfter: 5 });
    client = open({ limiter, retry: { maxAttempts: 4 } });
    target.setFaults({ fail: { status: 429, retryAfter: 0, times: 3 } });
    await client.findResources("Users", "userName", "a");
    expect(limiter.limit).toBe(1);
    await client.findResources("Users", "userName", "b");
    expect(limiter.limit).toBe(1);
    for (let i = 0; i < 4; i += 1) await client.findResources("Users", "userName", `c${i}`);
    expect(limiter.limit).toBe(2);
    for (let i = 0; i < 30; i += 1) await client.findResources("Users", "userName", `d${i}`);
    expect(limiter.limit).toBe(8);
  });

  it("never has more requests in flight than the limit", async () => {
    client = open({ maxConcurrency: 3 });
    target.setFaults({ delayMs: 50 });
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, client.limiter.inFlight);
    }, 5);
    await Promise.all(Array.from({ length: 12 }, (_, n) => client.findResources("Users", "userName", `p${n}`)));
    clearInterval(watch);
    expect(peak).toBe(3);
    expect(client.limiter.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it("stops waiting when the caller aborts", async () => {
    client = open({ sleep: undefined });
    target.setFaults({ fail: { status: 429, retryAfter: 30 } });
    const controller = new AbortController();
    const call = client.getResource("Users", "x", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("paused by the engine")), 100);
    const started = performance.now();
    await expect(call).rejects.toThrow("paused by the engine");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
