import type { JsonValue } from "../../../scim/json.js";
import { fail, ok, type Result } from "../../../scim/result.js";
import { describeKind, isScalarKind, kindOfValue, type ValueKind } from "./value-kind.js";

/** An argument a function rejects before the expression runs: which one (0-based) and why. */
export interface ArgumentProblem {
  readonly argument: number;
  readonly message: string;
}

/** A value during evaluation; undefined is unassigned (RFC 7643 §2.5). */
export type ExpressionValue = JsonValue | undefined;

/** One function of the expression language. */
export interface ExpressionFunction {
  /** Lower-case name; calls match it case-insensitively. */
  readonly name: string;
  /** How it is called, for docs and messages, e.g. `join(separator, value, …)`. */
  readonly signature: string;
  readonly description: string;
  readonly example: string;
  readonly minArguments: number;
  readonly maxArguments: number;
  /** Checks the kinds of the arguments before anything runs and gives the kind of the result. */
  readonly check: (kinds: readonly ValueKind[]) => Result<ValueKind, ArgumentProblem>;
  /** Computes the result; the error is a phrase about the value that did not fit. */
  readonly apply: (values: readonly ExpressionValue[]) => Result<ExpressionValue, string>;
}

const unlimited = Number.POSITIVE_INFINITY;

/** Every argument must be text, a number or a boolean; the result is text. */
function scalarsToText(kinds: readonly ValueKind[]): Result<ValueKind, ArgumentProblem> {
  const bad = kinds.findIndex((kind) => !isScalarKind(kind));
  return bad === -1 ? ok("text") : fail({ argument: bad, message: `needs text, but argument ${bad + 1} is ${describeKind(kinds[bad] ?? "any")}` });
}

/** Text of a scalar value (numbers and booleans as JSON writes them); an error for complex values and lists. */
function textOf(value: JsonValue, what: string): Result<string, string> {
  if (typeof value === "string") return ok(value);
  if (typeof value === "number" || typeof value === "boolean") return ok(String(value));
  return fail(`${what} needs text, but got ${describeKind(kindOfValue(value))}`);
}

/** Applies a text function to a value that may be unassigned. */
function mapText(value: ExpressionValue, what: string, transform: (text: string) => string): Result<ExpressionValue, string> {
  if (value === undefined) return ok(undefined);
  const text = textOf(value, what);
  return text.ok ? ok(transform(text.value)) : text;
}

/** The kind both (all) branches share, else `any`. */
function commonKind(kinds: readonly ValueKind[]): ValueKind {
  const [first, ...rest] = kinds;
  return first !== undefined && rest.every((kind) => kind === first) ? first : "any";
}

const lower: ExpressionFunction = {
  name: "lower",
  signature: "lower(value)",
  description: "The text in lower case.",
  example: 'lower(userName) → "alex@example.com"',
  minArguments: 1,
  maxArguments: 1,
  check: scalarsToText,
  apply: ([value]) => mapText(value, "lower()", (text) => text.toLowerCase()),
};

const upper: ExpressionFunction = {
  name: "upper",
  signature: "upper(value)",
  description: "The text in upper case.",
  example: 'upper(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter) → "CC-42"',
  minArguments: 1,
  maxArguments: 1,
  check: scalarsToText,
  apply: ([value]) => mapText(value, "upper()", (text) => text.toUpperCase()),
};

const trim: ExpressionFunction = {
  name: "trim",
  signature: "trim(value)",
  description: "The text without leading and trailing white space; unassigned when nothing is left.",
  example: 'trim(" Sales ") → "Sales"',
  minArguments: 1,
  maxArguments: 1,
  check: scalarsToText,
  apply: ([value]) => mapText(value, "trim()", (text) => text.trim()),
};

const join: ExpressionFunction = {
  name: "join",
  signature: "join(separator, value, …)",
  description: "The values that are assigned, as text, joined by the separator; unassigned when none is.",
  example: 'join(" ", name.givenName, name.middleName, name.familyName) → "Alex Ng" when there is no middle name',
  minArguments: 2,
  maxArguments: unlimited,
  check: scalarsToText,
  apply: ([separator, ...values]) => {
    const glue = separator === undefined ? ok("") : textOf(separator, "join()'s separator");
    if (!glue.ok) return glue;
    const parts: string[] = [];
    for (const value of values) {
      if (value === undefined) continue;
      const text = textOf(value, "join()");
      if (!text.ok) return text;
      if (text.value !== "") parts.push(text.value);
    }
    return ok(parts.join(glue.value));
  },
};

const coalesce: ExpressionFunction = {
  name: "coalesce",
  signature: "coalesce(value, …)",
  description: "The first argument that is assigned; unassigned when none is.",
  example: 'coalesce(displayName, name.formatted, userName)',
  minArguments: 1,
  maxArguments: unlimited,
  check: (kinds) => ok(commonKind(kinds)),
  apply: (values) => ok(values.find((value) => value !== undefined)),
};

const append: ExpressionFunction = {
  name: "append",
  signature: "append(value, suffix)",
  description: "The value followed by the suffix; unassigned when either is (use join(\"\", …) to keep a lone part).",
  example: 'append(externalId, "@contoso.example") → "alex@contoso.example"',
  minArguments: 2,
  maxArguments: 2,
  check: scalarsToText,
  apply: ([value, suffix]) => {
    if (value === undefined || suffix === undefined) return ok(undefined);
    const head = textOf(value, "append()");
    if (!head.ok) return head;
    const tail = textOf(suffix, "append()");
    return tail.ok ? ok(head.value + tail.value) : tail;
  },
};

const replace: ExpressionFunction = {
  name: "replace",
  signature: "replace(value, find, replacement)",
  description: "The value with every occurrence of the text `find` (not a pattern) replaced; an unassigned replacement removes it.",
  example: 'replace(userName, "@old.example", "@new.example")',
  minArguments: 3,
  maxArguments: 3,
  check: scalarsToText,
  apply: ([value, find, replacement]) => {
    if (value === undefined) return ok(undefined);
    // An empty literal is unassigned by the time it gets here, like any other empty text.
    if (find === undefined) return fail("replace() needs text to find, but it is empty or unassigned");
    const text = textOf(value, "replace()");
    const needle = textOf(find, "replace()'s text to find");
    const substitute = replacement === undefined ? ok("") : textOf(replacement, "replace()'s replacement");
    if (!text.ok) return text;
    if (!needle.ok) return needle;
    if (!substitute.ok) return substitute;
    return ok(text.value.split(needle.value).join(substitute.value));
  },
};

const left: ExpressionFunction = {
  name: "left",
  signature: "left(value, count)",
  description: "The first `count` characters of the value (whole Unicode characters, never half of one).",
  example: 'left(name.givenName, 1) → "A"',
  minArguments: 2,
  maxArguments: 2,
  check: ([value, count]) => {
    if (value !== undefined && !isScalarKind(value)) return fail({ argument: 0, message: `needs text, but argument 1 is ${describeKind(value)}` });
    if (count !== "number" && count !== "any") return fail({ argument: 1, message: `needs a number of characters, but argument 2 is ${describeKind(count ?? "any")}` });
    return ok("text");
  },
  apply: ([value, count]) => {
    if (value === undefined) return ok(undefined);
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) return fail(`left() needs a whole number of characters, 0 or more, but got ${JSON.stringify(count ?? null)}`);
    const text = textOf(value, "left()");
    return text.ok ? ok(Array.from(text.value).slice(0, count).join("")) : text;
  },
};

const not: ExpressionFunction = {
  name: "not",
  signature: "not(value)",
  description: 'The opposite boolean; the text "true" or "false" (any case) counts as that boolean.',
  example: "not(active)",
  minArguments: 1,
  maxArguments: 1,
  check: ([kind]) => (kind === "boolean" || kind === "text" || kind === "any" ? ok("boolean") : fail({ argument: 0, message: `needs a boolean, but argument 1 is ${describeKind(kind ?? "any")}` })),
  apply: ([value]) => {
    if (value === undefined) return ok(undefined);
    if (typeof value === "boolean") return ok(!value);
    if (typeof value === "string" && /^(true|false)$/i.test(value)) return ok(value.toLowerCase() !== "true");
    return fail(`not() needs a boolean, but got ${JSON.stringify(value).slice(0, 40)}`);
  },
};

const switchFunction: ExpressionFunction = {
  name: "switch",
  signature: "switch(value, default, key1, result1, key2, result2, …)",
  description: "The result whose key equals the value (as text, exactly); the default when none does or the value is unassigned.",
  example: 'switch(userType, "Member", "Contractor", "Guest", "Vendor", "Guest")',
  minArguments: 4,
  maxArguments: unlimited,
  check: (kinds) => {
    if (kinds.length % 2 !== 0) return fail({ argument: kinds.length - 1, message: "needs a result for every key: switch(value, default, key, result, …) has an even number of arguments" });
    const keys = [0, ...kinds.map((_, index) => index).filter((index) => index >= 2 && index % 2 === 0)];
    const bad = keys.find((index) => !isScalarKind(kinds[index] ?? "any"));
    if (bad !== undefined) return fail({ argument: bad, message: `compares text, but argument ${bad + 1} is ${describeKind(kinds[bad] ?? "any")}` });
    return ok(commonKind(kinds.filter((_, index) => index === 1 || (index >= 3 && index % 2 === 1))));
  },
  apply: ([value, fallback, ...pairs]) => {
    if (value === undefined) return ok(fallback);
    const wanted = textOf(value, "switch()");
    if (!wanted.ok) return wanted;
    for (let index = 0; index + 1 < pairs.length; index += 2) {
      const key = pairs[index];
      if (key === undefined) continue;
      const text = textOf(key, "switch()'s key");
      if (!text.ok) return text;
      if (text.value === wanted.value) return ok(pairs[index + 1]);
    }
    return ok(fallback);
  },
};

/** The functions of the mapping expression language, by lower-case name. */
export const expressionFunctions: ReadonlyMap<string, ExpressionFunction> = new Map(
  [lower, upper, trim, join, coalesce, append, replace, left, not, switchFunction].map((definition) => [definition.name, definition]),
);
