import { describe, expect, it } from "vitest";
import { PagePositions, type WalkedList } from "./page-positions.js";

const users = (revision: number, tenantId = "t1"): WalkedList => ({ tenantId, type: "User", revision });
const at = (id: string) => ({ sortValue: null, id });

describe("PagePositions", () => {
  it("finds where a page ended at the same revision, and nothing at another revision or index", () => {
    const positions = new PagePositions();
    positions.remember(users(7), 101, at("u100"));
    expect(positions.find(users(7), 101)).toEqual(at("u100"));
    expect(positions.find(users(8), 101)).toBeUndefined();
    expect(positions.find(users(6), 101)).toBeUndefined();
    expect(positions.find(users(7), 201)).toBeUndefined();
  });

  it("keeps tenants and resource types apart", () => {
    const positions = new PagePositions();
    positions.remember(users(1, "t1"), 11, at("a"));
    positions.remember({ tenantId: "t1", type: "Group", revision: 1 }, 11, at("g"));
    expect(positions.find(users(1, "t2"), 11)).toBeUndefined();
    expect(positions.find({ tenantId: "t1", type: "Group", revision: 1 }, 11)).toEqual(at("g"));
    expect(positions.find(users(1, "t1"), 11)).toEqual(at("a"));
  });

  it("drops a list's positions when a newer revision is remembered, and ignores older snapshots", () => {
    const positions = new PagePositions();
    positions.remember(users(5), 11, at("a"));
    positions.remember(users(5), 21, at("b"));
    positions.remember(users(6), 31, at("c"));
    expect(positions.size).toBe(1);
    expect(positions.find(users(5), 11)).toBeUndefined();
    expect(positions.find(users(6), 31)).toEqual(at("c"));
    positions.remember(users(5), 41, at("stale"));
    expect(positions.find(users(5), 41)).toBeUndefined();
    expect(positions.find(users(6), 31)).toEqual(at("c"));
  });

  it("keeps the 64 most recent positions of a list", () => {
    const positions = new PagePositions();
    for (let page = 0; page < 100; page++) positions.remember(users(1), 1 + (page + 1) * 10, at(`u${page}`));
    expect(positions.size).toBe(64);
    expect(positions.find(users(1), 11)).toBeUndefined();
    expect(positions.find(users(1), 1001)).toEqual(at("u99"));
    expect(positions.find(users(1), 1 + 37 * 10)).toEqual(at("u36"));
  });

  it("keeps the most recently used lists when there are more than it may hold", () => {
    const positions = new PagePositions(3);
    for (const tenantId of ["a", "b", "c"]) positions.remember(users(1, tenantId), 11, at(tenantId));
    expect(positions.find(users(1, "a"), 11)).toEqual(at("a"));
    positions.remember(users(1, "d"), 11, at("d"));
    expect(positions.find(users(1, "b"), 11)).toBeUndefined();
    expect(positions.find(users(1, "a"), 11)).toEqual(at("a"));
    expect(positions.find(users(1, "d"), 11)).toEqual(at("d"));
    expect(positions.size).toBe(3);
  });
});
