import { fail, ok, type Result } from "../result.js";
import type { AttributePath } from "./ast.js";

/**
 * The one lexer for filters (RFC 7644 §3.4.2.2) and attribute paths (§3.5.2, §3.4.2.5).
 *
 * Text splits into brackets, JSON strings and "words": maximal runs of anything else up to whitespace,
 * a bracket or a quote. A word is an attribute path, an operator, a keyword or a literal depending on
 * where the parser meets it, so `and` inside `"Sales and Marketing"` is never a keyword and a URN
 * with dots and colons stays one word. Malformed strings become `error` tokens, so that the parser
 * reports them with the error code of the context it is in (a filter, or a path).
 */

/** A lexical unit; `start` is the 0-based index of its first character in the text. */
export type Token =
  | { readonly kind: "(" | ")" | "[" | "]" | "end"; readonly start: number; readonly text: string }
  | { readonly kind: "word"; readonly start: number; readonly text: string }
  | { readonly kind: "string"; readonly start: number; readonly text: string; readonly value: string }
  | { readonly kind: "error"; readonly start: number; readonly text: string; readonly message: string };

/** A syntax problem found while lexing or parsing: what was wrong, and where (0-based). */
export interface SyntaxProblem {
  readonly position: number;
  readonly message: string;
}

const punctuation = new Set(["(", ")", "[", "]"]);
const whitespace = new Set([" ", "\t", "\n", "\r"]);
const simpleEscapes: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Splits text into tokens; always ends with an `end` token and never fails (bad strings are `error` tokens). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (whitespace.has(char)) {
      index += 1;
    } else if (punctuation.has(char)) {
      tokens.push({ kind: char as "(" | ")" | "[" | "]", start: index, text: char });
      index += 1;
    } else if (char === '"') {
      const token = readString(text, index);
      tokens.push(token);
      // A broken string makes the rest of the text unreadable, so lexing stops at an error token.
      index = token.kind === "error" ? text.length : index + token.text.length;
    } else {
      let end = index + 1;
      while (end < text.length && !isWordBoundary(text.charAt(end))) end += 1;
      tokens.push({ kind: "word", start: index, text: text.slice(index, end) });
      index = end;
    }
  }
  tokens.push({ kind: "end", start: text.length, text: "" });
  return tokens;
}

function isWordBoundary(char: string): boolean {
  return whitespace.has(char) || punctuation.has(char) || char === '"';
}

/** Reads a JSON string literal (RFC 8259 §7) starting at the opening quote. */
function readString(text: string, start: number): Token {
  let value = "";
  let index = start + 1;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === '"') return { kind: "string", start, text: text.slice(start, index + 1), value };
    if (char.charCodeAt(0) < 0x20) {
      return errorToken(text, index, `control character U+${hex4(char.charCodeAt(0))} must be escaped inside a string`);
    }
    if (char !== "\\") {
      value += char;
      index += 1;
      continue;
    }
    const escape = text.charAt(index + 1);
    const simple = simpleEscapes[escape];
    if (simple !== undefined) {
      value += simple;
      index += 2;
    } else if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
      value += String.fromCharCode(Number.parseInt(text.slice(index + 2, index + 6), 16));
      index += 6;
    } else {
      const shown = escape === "u" ? `\\u${/^[0-9a-fA-F]{0,4}/.exec(text.slice(index + 2))?.[0] ?? ""}` : text.slice(index, index + 2);
      return errorToken(text, index, `invalid escape "${shown}" in a string; use \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX`);
    }
  }
  return errorToken(text, start, `the string starting here has no closing quote`);
}

function errorToken(text: string, at: number, message: string): Token {
  return { kind: "error", start: at, text: text.slice(at), message };
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

const attributeName = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
const jsonNumber = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** True for RFC 7644 ATTRNAME (`ALPHA *(ALPHA / DIGIT / "-" / "_")`) and `$ref` (RFC 7643 §2.4). */
export function isAttributeName(text: string): boolean {
  return attributeName.test(text);
}

/**
 * Reads a word as a JSON literal: `true`, `false`, `null` (any case, as ABNF literals are) or a JSON
 * number. Undefined when the word is not a literal at all; an error phrase when the number is out of range.
 */
export function readLiteralWord(word: string): Result<string | number | boolean | null, string> | undefined {
  const lower = word.toLowerCase();
  if (lower === "true") return ok(true);
  if (lower === "false") return ok(false);
  if (lower === "null") return ok(null);
  if (!jsonNumber.test(word)) return undefined;
  const number = Number(word);
  return Number.isFinite(number) ? ok(number) : fail(`the number ${clip(word)} is out of range`);
}

/**
 * Splits one word into `[URI ":"] ATTRNAME ["." subAttr]` (RFC 7644 §3.4.2.2 attrPath). A word starting
 * with `urn:` (any case) carries a schema URI up to its last colon; URNs contain dots (`2.0`), so the
 * sub-attribute is looked for only after that colon. The error is a phrase describing what is wrong.
 */
export function readAttributePath(word: string): Result<AttributePath, string> {
  let uri: string | undefined;
  let rest = word;
  const lastColon = word.lastIndexOf(":");
  if (lastColon >= 0) {
    if (!word.toLowerCase().startsWith("urn:") || lastColon <= 3) {
      return fail(`"${clip(word)}" is not an attribute path: only a schema URN ("urn:…:") may prefix an attribute name with a colon`);
    }
    uri = word.slice(0, lastColon);
    rest = word.slice(lastColon + 1);
  }
  const parts = rest.split(".");
  const [attribute, subAttribute, extra] = parts;
  if (attribute === undefined || !isAttributeName(attribute)) {
    return fail(`"${clip(word)}" is not an attribute path: "${clip(attribute ?? "")}" is not an attribute name (a letter, then letters, digits, "-" or "_")`);
  }
  if (extra !== undefined) return fail(`"${clip(word)}" is not an attribute path: an attribute has at most one level of sub-attributes`);
  if (subAttribute !== undefined && !isAttributeName(subAttribute)) {
    return fail(`"${clip(word)}" is not an attribute path: "${clip(subAttribute)}" is not a sub-attribute name`);
  }
  return ok({ ...(uri !== undefined ? { uri } : {}), attribute, ...(subAttribute !== undefined ? { subAttribute } : {}) });
}

/** Shortens untrusted text quoted in an error detail so a huge input cannot produce a huge message. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** How a token is shown in "found …" phrases of error details. */
export function describeToken(token: Token, endName: string): string {
  if (token.kind === "end") return endName;
  if (token.kind === "string") return `the string ${clip(token.text)}`;
  return `"${clip(token.text)}"`;
}
