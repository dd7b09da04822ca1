import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDateTime } from "../../scim/filter/parse-date-time.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.dispose());

/** scim_instant of each text, in order. */
async function instants(texts: readonly string[]): Promise<(number | null)[]> {
  const rows = await temp.raw<{ instant: number | null }>(sql`select scim_instant(text) as instant from unnest(${texts}::text[]) with ordinality as t(text, n) order by n`);
  return rows.map((row) => row.instant);
}

const expected = (text: string): number | null => parseDateTime(text)?.getTime() ?? null;

const digits = (count: number) => fc.array(fc.constantFrom(..."0123456789"), { minLength: count, maxLength: count }).map((chars) => chars.join(""));
const part = (values: readonly string[], count: number) => fc.oneof(fc.constantFrom(...values), digits(count));

/** Texts near the xsd:dateTime grammar: valid ones, edge values, and near misses. */
const dateTimeLike: fc.Arbitrary<string> = fc
  .record({
    sign: fc.constantFrom("", "", "-"),
    year: part(["0000", "1970", "1900", "2000", "2024", "2100", "9999", "0004"], 4),
    month: part(["01", "02", "12", "00", "13"], 2),
    day: part(["01", "28", "29", "30", "31", "00", "32"], 2),
    hour: part(["00", "23", "24", "25"], 2),
    minute: part(["00", "59", "60"], 2),
    second: part(["00", "59", "60"], 2),
    fraction: fc.constantFrom("", ".0", ".5", ".999", ".9999", ".0015", ".57", ".000", ".1234567890123"),
    zone: fc.constantFrom("", "Z", "+00:00", "-05:30", "+14:00", "+14:01", "-14:00", "+13:59", "+15:00", "+01:60", "z"),
    noise: fc.constantFrom("", "", "", " ", "x", "\n"),
  })
  .map(({ sign, year, month, day, hour, minute, second, fraction, zone, noise }) => `${sign}${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone}${noise}`);

describe("scim_instant", () => {
  it("gives the epoch milliseconds parseDateTime gives, and NULL where it gives none", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dateTimeLike, { minLength: 50, maxLength: 50 }), async (texts) => {
        expect(await instants(texts)).toEqual(texts.map(expected));
      }),
      { numRuns: 40 },
    );
  });

  it("handles leap days, 24:00:00, offsets, truncated fractions and years before 1 as parseDateTime does", async () => {
    const texts = ["2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T24:00:00.001Z", "2026-01-01T00:00:00.0019Z", "2026-01-01T00:00:00+14:00", "0000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999Z", "2026-01-01", "", "2026-01-01T00:00:00ZZ"];
    const results = await instants(texts);
    expect(results).toEqual(texts.map(expected));
    expect(results.filter((value) => value === null)).toHaveLength(6);
  });
});
