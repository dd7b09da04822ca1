import { describe, expect, it } from "vitest";
import { idTimestamp, newId } from "./ids.js";

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newId", () => {
  it("formats a lowercase UUID with version 7 and the RFC 9562 variant", () => {
    for (let i = 0; i < 100; i++) expect(newId()).toMatch(uuidV7);
  });

  it("encodes the creation time in the first 48 bits", () => {
    const at = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
    expect(idTimestamp(newId(at))).toBe(at);
  });

  it("sorts ids made in the same millisecond in creation order", () => {
    const at = Date.UTC(2032, 0, 1);
    const ids = Array.from({ length: 5000 }, () => newId(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps creation order when the clock moves backwards", () => {
    const first = newId(Date.UTC(2033, 0, 1, 0, 0, 1));
    const second = newId(Date.UTC(2033, 0, 1, 0, 0, 0));
    expect(second > first).toBe(true);
  });

  it("sorts ids of later milliseconds after earlier ones", () => {
    const early = newId(Date.UTC(2034, 0, 1));
    const late = newId(Date.UTC(2034, 0, 1, 0, 0, 0, 1));
    expect(late > early).toBe(true);
  });
});
