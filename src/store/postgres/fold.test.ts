import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldCase } from "../../scim/fold.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";
import { postgresDialect } from "./postgres-dialect.js";

/*
 * The dialect's fold must agree with foldCase, which the in-memory evaluator and the `*_key` columns
 * use. Where PostgreSQL's Unicode tables are older than Node's, it cannot: these are the characters
 * that postgres-dialect.ts names, and the test fails if anything else differs.
 */

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.dispose());

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Case pairs assigned in Unicode 16 and 17, after PostgreSQL 15's and ICU 72's tables. */
const newerCasePairs = new Set([0x1c89, ...range(0xa7cb, 0xa7dc), ...range(0x10d50, 0x10d65), ...range(0x16ea0, 0x16eb8)]);

/** Scripts whose canonical compositions arrived in Unicode 16: Todhri, Tulu-Tigalari, Gurung Khema, Kirat Rai. */
const newerCompositionScripts = [range(0x105c0, 0x105ff), range(0x11380, 0x113ff), range(0x16100, 0x1613f), range(0x16d40, 0x16d7f)].flat();
const inNewerScript = (text: string) => [...text].some((char) => newerCompositionScripts.includes(char.codePointAt(0)!));

const hex = (text: string) => [...text].map((char) => char.codePointAt(0)!.toString(16)).join(" ");

describe("the PostgreSQL fold", () => {
  it("lowers every code point as foldCase does, except case pairs newer than the server's Unicode tables", async () => {
    const rows = await temp.raw<{ cp: number; folded: string }>(
      sql`select cp, ${postgresDialect.fold(sql`chr(cp)`)} as folded from generate_series(1, 1114111) as cp where cp not between 55296 and 57343`,
    );
    expect(rows.length).toBe(0x10ffff - 0x800);
    const differing = rows.filter((row) => row.folded !== foldCase(String.fromCodePoint(row.cp))).map((row) => row.cp);
    expect(differing.filter((cp) => !newerCasePairs.has(cp)).map((cp) => cp.toString(16))).toEqual([]);
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
