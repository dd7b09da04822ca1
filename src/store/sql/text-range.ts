const maxCodePoint = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order, or
 * undefined when there is none (the prefix is empty or only U+10FFFF). Then `value >= prefix AND
 * value < successor` is exactly "value starts with prefix", which an index on `value` can answer.
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const codePoints = [...prefix].map((char) => char.codePointAt(0)!);
  while (codePoints.length > 0 && codePoints[codePoints.length - 1] === maxCodePoint) codePoints.pop();
  const last = codePoints.pop();
  if (last === undefined) return undefined;
  // Surrogate code points never occur in stored (UTF-8) text, so the next one after U+D7FF is U+E000.
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  codePoints.push(next);
  return codePoints.map((codePoint) => String.fromCodePoint(codePoint)).join("");
}

