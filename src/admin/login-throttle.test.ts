import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { AdminError } from "./admin-error.js";
import { addressKey, attemptSucceeded, beginAttempt, throttleKeys, throttlePolicy } from "./login-throttle.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

const start = Date.parse("2026-03-01T10:00:00.000Z");
const at = (seconds: number) => new Date(start + seconds * 1000);
const attempt = (email: string, address: string, when: Date) => temp.store.write((s) => beginAttempt(s, throttleKeys(email, address), when));

describe("beginAttempt", () => {
  it("allows 5 failures for one email, then answers throttled until the oldest leaves the 15-minute window", async () => {
    for (let i = 0; i < throttlePolicy.perEmail; i++) await attempt("al@example.com", `10.0.0.${i}`, at(i * 60));
    const refused = attempt("AL@example.com", "10.0.0.99", at(300));
    await expect(refused).rejects.toBeInstanceOf(AdminError);
    // The first failure (t=0) leaves the window at t=900.
    await expect(refused).rejects.toMatchObject({ code: "throttled", retryAfterSeconds: 600, message: "Too many failed sign-ins. Try again in 10 minutes." });
    await expect(attempt("al@example.com", "10.0.0.99", at(899))).rejects.toMatchObject({ retryAfterSeconds: 1 });
    await expect(attempt("al@example.com", "10.0.0.99", at(900))).resolves.toEqual(expect.any(String));
  });

  it("allows 20 failures from one address across emails, then answers throttled", async () => {
    for (let i = 0; i < throttlePolicy.perAddress; i++) await attempt(`user${i}@example.com`, "192.0.2.7", at(i));
    await expect(attempt("someone@example.com", "192.0.2.7", at(30))).rejects.toMatchObject({ code: "throttled", retryAfterSeconds: 870 });
    await expect(attempt("someone@example.com", "192.0.2.8", at(30))).resolves.toEqual(expect.any(String));
  });

  it("does not count a refused attempt, so waiting out the window is enough", async () => {
    for (let i = 0; i < 5; i++) await attempt("al@example.com", "10.0.0.1", at(i));
    for (let i = 0; i < 10; i++) await expect(attempt("al@example.com", "10.0.0.1", at(100 + i))).rejects.toMatchObject({ code: "throttled" });
    await expect(attempt("al@example.com", "10.0.0.1", at(905))).resolves.toEqual(expect.any(String));
  });

  it("attemptSucceeded forgets the email's failures and takes back the attempt from the address", async () => {
    const keys = throttleKeys("al@example.com", "10.0.0.1");
    for (let i = 0; i < 4; i++) await attempt("al@example.com", "10.0.0.1", at(i));
    const id = await attempt("al@example.com", "10.0.0.1", at(10));
    await temp.store.write((s) => attemptSucceeded(s, keys, id));
    const since = at(-1).toISOString();
    expect(await temp.store.read((s) => s.loginFailures.recent(keys.email, since, 50))).toEqual([]);
    expect(await temp.store.read((s) => s.loginFailures.recent(keys.address, since, 50))).toHaveLength(4);
  });
});

describe("throttleKeys", () => {
  it("keys an email by a digest of its folded form, so a password typed as the email is not stored", () => {
    const keys = throttleKeys(" Al@Example.com ", "10.0.0.1");
    expect(keys).toEqual({ email: expect.stringMatching(/^email:[0-9a-f]{64}$/), address: "ip:10.0.0.1" });
    expect(throttleKeys("al@example.com", "10.0.0.2").email).toBe(keys.email);
    expect(keys.email).not.toContain("example");
  });
});

describe("addressKey", () => {
  it("keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
  });

  it("reduces IPv6 addresses to their /64 in one spelling", () => {
    expect(addressKey("2001:db8:0:1:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(addressKey("2001:DB8::1:0:0:1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("2001:0db8:0000:0000::9")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});
