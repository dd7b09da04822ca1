import { fail, ok, type Result } from "../../../scim/result.js";
import type { ExpressionError } from "./expression-ast.js";

/** A lexical unit of an expression; `start` is 0-based. */
export type ExpressionToken =
  | { readonly kind: "(" | ")" | "," | "end"; readonly start: number }
  | { readonly kind: "string"; readonly start: number; readonly value: string }
  | { readonly kind: "number"; readonly start: number; readonly value: number; readonly text: string }
  /** A name or a source path: letters, digits and `_ - . : $`, with bracketed value filters kept whole. */
  | { readonly kind: "word"; readonly start: number; readonly text: string };

const escapes: Readonly<Record<string, string>> = { '"': '"', "'": "'", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const wordCharacter = /[A-Za-z0-9_.:$-]/;
const number = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?/;

/**
 * Splits an expression into tokens. Strings are quoted with `"` or `'` (so an expression inside a JSON
 * string needs no escaped quotes) and take JSON's backslash escapes plus `\'`. A value filter inside a
 * path (`emails[type eq "work"].value`) is kept in the path's word, quotes and spaces included.
 */
export function lexExpression(text: string): Result<ExpressionToken[], ExpressionError> {
  const tokens: ExpressionToken[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      index += 1;
    } else if (char === "(" || char === ")" || char === ",") {
      tokens.push({ kind: char, start: index });
      index += 1;
    } else if (char === '"' || char === "'") {
      const read = readString(text, index);
      if (!read.ok) return read;
      tokens.push({ kind: "string", start: index, value: read.value.value });
      index = read.value.end;
    } else if (/[0-9-]/.test(char)) {
      const match = number.exec(text.slice(index));
      if (!match) return fail({ column: index + 1, message: `expected a number after "-"` });
      if (index + match[0].length < text.length && /[A-Za-z_$.]/.test(text.charAt(index + match[0].length))) {
        return fail({ column: index + 1, message: `"${clip(text.slice(index))}" is neither a number nor a path (paths start with a letter)` });
      }
      tokens.push({ kind: "number", start: index, value: Number(match[0]), text: match[0] });
      index += match[0].length;
    } else if (/[A-Za-z$]/.test(char)) {
      const read = readWord(text, index);
      if (!read.ok) return read;
      tokens.push({ kind: "word", start: index, text: text.slice(index, read.value) });
      index = read.value;
    } else {
      return fail({ column: index + 1, message: `unexpected character "${char}"` });
    }
  }
  tokens.push({ kind: "end", start: text.length });
  return ok(tokens);
}

function readString(text: string, start: number): Result<{ value: string; end: number }, ExpressionError> {
  const quote = text.charAt(start);
  let value = "";
  let index = start + 1;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === quote) return ok({ value, end: index + 1 });
    if (char !== "\\") {
      value += char;
      index += 1;
      continue;
    }
    const escape = text.charAt(index + 1);
    const simple = escapes[escape];
    if (simple !== undefined) {
      value += simple;
      index += 2;
    } else if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
      value += String.fromCharCode(Number.parseInt(text.slice(index + 2, index + 6), 16));
      index += 6;
    } else {
      return fail({ column: index + 1, message: `invalid escape "${text.slice(index, index + 2)}" in a string; use \\", \\', \\\\, \\n, \\t or \\uXXXX` });
    }
  }
  return fail({ column: start + 1, message: `the string starting here has no closing ${quote}` });
}

/** The end of a word: path characters, and bracketed filters whose double-quoted strings may hold anything. */
function readWord(text: string, start: number): Result<number, ExpressionError> {
  let index = start;
  while (index < text.length) {
    const char = text.charAt(index);
    if (wordCharacter.test(char)) {
      index += 1;
    } else if (char === "[") {
      const close = closingBracket(text, index);
      if (close === undefined) return fail({ column: index + 1, message: `the filter "[" starting here has no closing "]"` });
      index = close + 1;
    } else {
      break;
    }
  }
  return ok(index);
}

function closingBracket(text: string, open: number): number | undefined {
  let inString = false;
  for (let index = open + 1; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (inString) {
      if (char === "\\") index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "]") {
      return index;
    }
  }
  return undefined;
}

/** Shortens text quoted in a message. */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
