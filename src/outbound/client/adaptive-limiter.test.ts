import { describe, expect, it } from "vitest";
import { AdaptiveLimiter } from "./adaptive-limiter.js";

describe("AdaptiveLimiter", () => {
  it("defaults to 4 in flight and accepts 1..64 only", () => {
    expect(new AdaptiveLimiter().limit).toBe(4);
    expect(() => new AdaptiveLimiter({ maxConcurrency: 0 })).toThrow(RangeError);
    expect(() => new AdaptiveLimiter({ maxConcurrency: 65 })).toThrow(RangeError);
    expect(() => new AdaptiveLimiter({ maxConcurrency: 2.5 })).toThrow(RangeError);
    expect(new AdaptiveLimiter({ maxConcurrency: 64 }).limit).toBe(64);
  });

  it("holds back requests beyond the limit until a slot is released, first come first served", async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 2 });
    const first = await limiter.acquire();
    await limiter.acquire();
    const order: string[] = [];
    const third = limiter.acquire().then((release) => (order.push("third"), release));
    const fourth = limiter.acquire().then((release) => (order.push("fourth"), release));
    await Promise.resolve();
    expect(limiter.stats()).toEqual({ limit: 2, maxConcurrency: 2, inFlight: 2, waiting: 2 });
    first();
    first();
    (await third)();
    (await fourth)();
    expect(order).toEqual(["third", "fourth"]);
    expect(limiter.inFlight).toBe(1);
  });

  it("halves on throttling down to 1 and grows by one per run of successes back to the maximum", () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8, growAfter: 3 });
    limiter.onThrottled();
    expect(limiter.limit).toBe(4);
    limiter.onThrottled();
    limiter.onThrottled();
    limiter.onThrottled();
    expect(limiter.limit).toBe(1);
    limiter.onSuccess();
    limiter.onSuccess();
    expect(limiter.limit).toBe(1);
    limiter.onSuccess();
    expect(limiter.limit).toBe(2);
    limiter.onSuccess();
    limiter.onThrottled();
    expect(limiter.limit).toBe(1);
    for (let i = 0; i < 100; i += 1) limiter.onSuccess();
    expect(limiter.limit).toBe(8);
  });

  it("admits waiters when the limit grows", async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 2, growAfter: 1 });
    limiter.onThrottled();
    await limiter.acquire();
    let admitted = false;
    const waiting = limiter.acquire().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
    limiter.onSuccess();
    await waiting;
    expect(limiter.stats()).toMatchObject({ limit: 2, inFlight: 2 });
  });

  it("drops a waiter whose signal aborts", async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 1 });
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
    release();
    expect(limiter.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
  });
});
