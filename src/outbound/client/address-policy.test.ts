import { describe, expect, it } from "vitest";
import { admitAddress, resolveAllowed } from "./address-guard.js";
import { judgeAddress } from "./address-policy.js";

describe("judgeAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["64:ff9b::a00:1", "private"],
    ["2002:7f00:1::", "6to4"],
    ["2001::1", "teredo"],
  ])("refuses %s (%s)", (address, words) => {
    expect(judgeAddress(address)).toContain(words);
  });

  it.each(["8.8.8.8", "203.0.114.9", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])("allows the public address %s", (address) => {
    expect(judgeAddress(address)).toBeUndefined();
  });

  it("refuses text that is not an address", () => {
    expect(judgeAddress("localhost")).toBeDefined();
  });
});

describe("admitAddress", () => {
  it("refuses private addresses unless allowed, and plain http to public ones", () => {
    expect(admitAddress("h", "10.0.0.1", { allowPrivateAddresses: false, https: true })?.code).toBe("privateAddress");
    expect(admitAddress("h", "10.0.0.1", { allowPrivateAddresses: true, https: false })).toBeUndefined();
    expect(admitAddress("h", "8.8.8.8", { allowPrivateAddresses: false, https: true })).toBeUndefined();
    expect(admitAddress("h", "8.8.8.8", { allowPrivateAddresses: true, https: false })?.code).toBe("plainHttp");
  });
});

describe("resolveAllowed", () => {
  const rule = { allowPrivateAddresses: false, https: true };
  it("refuses a host when any of its addresses is internal", async () => {
    const resolve = async () => [{ address: "8.8.8.8", family: 4 as const }, { address: "10.0.0.7", family: 4 as const }];
    await expect(resolveAllowed("mixed.example", rule, resolve)).rejects.toThrow("mixed.example resolves to 10.0.0.7, a private address");
  });

  it("checks IP literals, bracketed IPv6 included, without resolving", async () => {
    const resolve = async () => {
      throw new Error("must not resolve a literal");
    };
    await expect(resolveAllowed("[::ffff:127.0.0.1]", rule, resolve)).rejects.toThrow("a loopback address");
    await expect(resolveAllowed("8.8.4.4", rule, resolve)).resolves.toEqual([{ address: "8.8.4.4", family: 4 }]);
  });
});
