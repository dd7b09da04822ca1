import { describe, expect, it } from "vitest";
import { parseDateTime } from "./parse-date-time.js";

const iso = (text: string) => parseDateTime(text)?.toISOString();

describe("parseDateTime", () => {
  it("parses UTC, offsets and fractions to the instant they name", () => {
    expect(iso("2026-03-01T10:15:30Z")).toBe("2026-03-01T10:15:30.000Z");
    expect(iso("2026-03-01T10:15:30+02:00")).toBe("2026-03-01T08:15:30.000Z");
    expect(iso("2026-03-01T10:15:30-05:30")).toBe("2026-03-01T15:45:30.000Z");
    expect(iso("2026-03-01T10:15:30.5Z")).toBe("2026-03-01T10:15:30.500Z");
  });

  it("truncates fractions beyond milliseconds", () => {
    expect(iso("2026-03-01T10:15:30.123999Z")).toBe("2026-03-01T10:15:30.123Z");
  });

  it("reads a value without a time zone as UTC, independent of the server's zone", () => {
    expect(iso("2026-03-01T10:15:30")).toBe("2026-03-01T10:15:30.000Z");
  });

  it("reads 24:00:00 as the start of the next day", () => {
    expect(iso("2026-12-31T24:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
    expect(parseDateTime("2026-12-31T24:00:01Z")).toBeUndefined();
  });

  it("keeps years below 100 as written", () => {
    expect(iso("0099-01-01T00:00:00Z")).toBe("0099-01-01T00:00:00.000Z");
  });

  it("accepts 29 February only in leap years", () => {
    expect(iso("2024-02-29T00:00:00Z")).toBe("2024-02-29T00:00:00.000Z");
    expect(parseDateTime("2026-02-29T00:00:00Z")).toBeUndefined();
    expect(parseDateTime("1900-02-29T00:00:00Z")).toBeUndefined();
    expect(iso("2000-02-29T00:00:00Z")).toBe("2000-02-29T00:00:00.000Z");
  });

  it("returns undefined for text that is not an xsd:dateTime", () => {
    for (const text of ["", "2026-03-01", "2026-03-01 10:15:30Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-03-01T10:60:00Z", "2026-03-01T10:15:30+15:00", "2026-03-01T10:15:30z", "yesterday", "1767225600000"]) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
  });
});
