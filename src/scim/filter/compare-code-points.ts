/**
 * Orders two strings by Unicode code point, which is the order SQLite's BINARY collation gives on UTF-8
 * text (and PostgreSQL's "C" collation); JavaScript's `<` compares UTF-16 code units instead, which puts
 * U+E000–U+FFFF after supplementary characters such as emoji. Returns -1, 0 or 1.
 */
export function compareCodePoints(a: string, b: string): -1 | 0 | 1 {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) < codePointRank(y) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Remaps a UTF-16 code unit so that unit order equals code point order at the first differing unit:
 * surrogates (which encode U+10000 and above) move above U+E000–U+FFFF, which move down to make room.
 */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
