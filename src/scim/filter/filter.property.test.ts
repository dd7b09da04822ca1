import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../errors.js";
import type { JsonObject, JsonValue } from "../json.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import type { AttributePath, CompareOperator, FilterNode, Literal } from "./ast.js";
import { matchesResource } from "./evaluate-filter.js";
import { formatFilter } from "./format-filter.js";
import { parseFilter } from "./parse-filter.js";
import { parseAttributePath, parsePatchPath } from "./parse-path.js";
import type { ResolvedFilter } from "./resolved.js";
import { resolveFilter } from "./resolve-filter.js";

const users = registry.forType("User");

// ---- (a) formatFilter / parseFilter round trip over arbitrary ASTs ----

/** Names, including ones that are also keywords, operators or literals, which the parser must still read as names. */
const attributeName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/),
  fc.constantFrom("$ref", "and", "or", "not", "pr", "eq", "true", "null", "AND", "Not", "e1", "x-1"),
);
const uri = fc.constantFrom(Urn.User, Urn.EnterpriseUser, "urn:example:custom.schema:1.0:Thing", "URN:a:b");

const path: fc.Arbitrary<AttributePath> = fc
  .record({ uri: fc.option(uri, { nil: undefined }), attribute: attributeName, subAttribute: fc.option(attributeName, { nil: undefined }) })
  .map(({ uri, attribute, subAttribute }) => ({ ...(uri !== undefined ? { uri } : {}), attribute, ...(subAttribute !== undefined ? { subAttribute } : {}) }));

const literal: fc.Arbitrary<Literal> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "binary-ascii", maxLength: 12 }),
  fc.constantFrom("Sales and Marketing", 'a "quoted" (b) [c]', "not (x)", ""),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const operator = fc.constantFrom<CompareOperator>("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");
const comparison: fc.Arbitrary<FilterNode> = fc.record({ kind: fc.constant("compare" as const), path, op: operator, value: literal });
const presence: fc.Arbitrary<FilterNode> = fc.record({ kind: fc.constant("present" as const), path });

/** Trees of and/or/not over `leaf`, the shape the parser produces. */
function logicOver(leaf: fc.Arbitrary<FilterNode>, depth: number): fc.Arbitrary<FilterNode> {
  if (depth === 0) return leaf;
  const sub = logicOver(leaf, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("and" as const), left: sub, right: sub }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("or" as const), left: sub, right: sub }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("not" as const), operand: sub }) },
  );
}

const innerFilter = logicOver(fc.oneof(comparison, presence), 2);
const valuePath: fc.Arbitrary<FilterNode> = fc.record({ kind: fc.constant("valuePath" as const), path, filter: innerFilter });
const anyFilter = logicOver(fc.oneof(comparison, presence, valuePath), 4);

describe("property: formatFilter then parseFilter gives back the AST", () => {
  it("round-trips arbitrary filter ASTs", () => {
    fc.assert(
      fc.property(anyFilter, (ast) => {
        expect(parseFilter(formatFilter(ast))).toEqual({ ok: true, value: ast });
      }),
      { numRuns: 2000 },
    );
  });

  it("reaches a fixed point: formatting the reparsed AST prints the same text", () => {
    fc.assert(
      fc.property(anyFilter, (ast) => {
        const text = formatFilter(ast);
        const reparsed = parseFilter(text);
        expect(reparsed.ok && formatFilter(reparsed.value)).toBe(text);
      }),
    );
  });
});

// ---- (b) the parsers never throw on arbitrary input ----

const filterish = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom("(", ")", "[", "]", '"', "\\", " ", "and", "or", "not", "not(", "eq", "pr", "gt", "title", "emails", ".value", "urn:a:b:", "1", "-", "1e999", "true", "null", '"x"', '"\\u12', ":"),
        fc.string({ unit: "binary", maxLength: 4 }),
      ),
      { maxLength: 40 },
    ),
    fc.boolean(),
  )
  .map(([parts, spaced]) => parts.join(spaced ? " " : ""));

function assertWellFormed(result: { ok: boolean; error?: unknown }, scimTypes: readonly string[]): void {
  if (result.ok) return;
  expect(result.error).toBeInstanceOf(ScimError);
  const error = result.error as ScimError;
  expect(scimTypes).toContain(error.scimType);
  expect(error.detail).toMatch(/^Invalid (filter|path|attribute path)\b/);
}

describe("property: parsers return a Result for any input and never throw", () => {
  it("parseFilter on arbitrary strings and filter-like token soup", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), filterish), (text) => {
        assertWellFormed(parseFilter(text), ["invalidFilter"]);
      }),
      { numRuns: 3000 },
    );
  });

  it("parsePatchPath and parseAttributePath on the same inputs", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), filterish), (text) => {
        assertWellFormed(parsePatchPath(text), ["invalidPath", "invalidFilter"]);
        assertWellFormed(parseAttributePath(text), ["invalidPath"]);
      }),
      { numRuns: 3000 },
    );
  });

  it("reports a position inside the text, or just past its end", () => {
    fc.assert(
      fc.property(filterish, (text) => {
        const result = parseFilter(text);
        const position = !result.ok ? /at position (\d+)/.exec(result.error.detail)?.[1] : undefined;
        if (position !== undefined) expect(Number(position)).toBeLessThanOrEqual(text.length + 1);
      }),
    );
  });

  it("answers quickly for the longest and deepest inputs it accepts", () => {
    const deep = `${"not (".repeat(64)}title pr${")".repeat(64)}`;
    let wide = "t0 pr";
    for (let index = 1; wide.length + ` or t${index} pr`.length <= 8192; index += 1) wide += ` or t${index} pr`;
    const started = Date.now();
    expect(parseFilter(deep).ok).toBe(true);
    expect(parseFilter(wide).ok).toBe(true);
    expect(parseFilter(`${"(".repeat(8192)}`).ok).toBe(false);
    expect(parseFilter(`"${"\\".repeat(8190)}"`).ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

// ---- (c) the evaluator respects boolean identities ----

/** Filters that resolve against the User schema, covering each kind of leaf and value path. */
const atoms = [
  'userName eq "a"',
  'userName ne "a"',
  'userName sw "A"',
  'userName gt "a"',
  "title pr",
  'title eq "x"',
  'title ne "x"',
  "title eq null",
  "active eq true",
  "active ne false",
  'emails.value co "x"',
  'emails.type ne "work"',
  'emails[type eq "work"]',
  'emails[type eq "work" and not (value eq "x")]',
  'emails[type eq "work"].value sw "a"',
  "name pr",
  'name.givenName le "b"',
  'meta.created gt "2026-01-01T00:00:00Z"',
  `${Urn.EnterpriseUser}:employeeNumber eq "1"`,
  `${Urn.EnterpriseUser}:manager eq "m"`,
].map((text) => {
  const parsed = parseFilter(text);
  const resolved = parsed.ok ? resolveFilter(parsed.value, users) : parsed;
  if (!resolved.ok) throw new Error(`${text}: ${resolved.error.detail}`);
  return resolved.value;
});

const atom = fc.constantFrom(...atoms);
const resolvedFilter: fc.Arbitrary<ResolvedFilter> = fc.letrec<{ node: ResolvedFilter }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc.record({ kind: fc.constant("and" as const), left: tie("node"), right: tie("node") }),
    fc.record({ kind: fc.constant("or" as const), left: tie("node"), right: tie("node") }),
    fc.record({ kind: fc.constant("not" as const), operand: tie("node") }),
  ),
})).node;

const maybe = <T extends JsonValue>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> =>
  fc.oneof(arbitrary, fc.constant(null), fc.constant(undefined));
const shortText = fc.constantFrom("", "a", "A", "ab", "b", "x", "work", "m", "1");
const email = fc.record({ value: maybe(shortText), type: maybe(fc.constantFrom("work", "home", "WORK")), primary: maybe(fc.boolean()) }, { requiredKeys: [] });

/** Small documents whose values collide with the atoms' literals often enough to make both outcomes common. */
const userDocument: fc.Arbitrary<JsonObject> = fc
  .record(
    {
      userName: maybe(shortText),
      title: maybe(shortText),
      active: maybe(fc.boolean()),
      emails: maybe(fc.array(email, { maxLength: 3 })),
      name: maybe(fc.record({ givenName: maybe(shortText) }, { requiredKeys: [] })),
      meta: fc.record({ created: fc.constantFrom("2025-12-31T23:59:59.000Z", "2026-01-01T00:00:00.000Z", "2026-06-01T12:00:00.000Z") }),
      [Urn.EnterpriseUser]: maybe(fc.record({ employeeNumber: maybe(fc.constantFrom("1", "2")), manager: maybe(fc.record({ value: shortText })) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  )
  .map((doc) => JSON.parse(JSON.stringify(doc)) as JsonObject);

const not = (operand: ResolvedFilter): ResolvedFilter => ({ kind: "not", operand });
const and = (left: ResolvedFilter, right: ResolvedFilter): ResolvedFilter => ({ kind: "and", left, right });
const or = (left: ResolvedFilter, right: ResolvedFilter): ResolvedFilter => ({ kind: "or", left, right });

describe("property: the evaluator obeys boolean identities", () => {
  it("not (a and b) is the same as not a or not b", () => {
    fc.assert(
      fc.property(resolvedFilter, resolvedFilter, userDocument, (a, b, doc) => {
        expect(matchesResource(doc, not(and(a, b)))).toBe(matchesResource(doc, or(not(a), not(b))));
      }),
      { numRuns: 1000 },
    );
  });

  it("not (a or b) is the same as not a and not b", () => {
    fc.assert(
      fc.property(resolvedFilter, resolvedFilter, userDocument, (a, b, doc) => {
        expect(matchesResource(doc, not(or(a, b)))).toBe(matchesResource(doc, and(not(a), not(b))));
      }),
      { numRuns: 1000 },
    );
  });

  it("not (not a) is the same as a, and a or not a always holds", () => {
    fc.assert(
      fc.property(resolvedFilter, userDocument, (a, doc) => {
        expect(matchesResource(doc, not(not(a)))).toBe(matchesResource(doc, a));
        expect(matchesResource(doc, or(a, not(a)))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("evaluates a filter and its formatted-then-reparsed form alike", () => {
    const textual = logicOver(fc.constantFrom(...['userName eq "a"', "title pr", 'emails[type eq "work"].value sw "a"', "active eq false", 'name.givenName gt "a"'].map((text) => {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new Error(parsed.error.detail);
      return parsed.value;
    })), 3);
    fc.assert(
      fc.property(textual, userDocument, (ast, doc) => {
        const direct = resolveFilter(ast, users);
        const reparsed = parseFilter(formatFilter(ast));
        const again = reparsed.ok ? resolveFilter(reparsed.value, users) : reparsed;
        expect(direct.ok && again.ok).toBe(true);
        if (direct.ok && again.ok) expect(matchesResource(doc, again.value)).toBe(matchesResource(doc, direct.value));
      }),
      { numRuns: 500 },
    );
  });

  it("on a single-valued attribute, ne is the same as pr and not eq", () => {
    const ne = atoms[6] as ResolvedFilter;
    const present = atoms[4] as ResolvedFilter;
    const equal = atoms[5] as ResolvedFilter;
    fc.assert(
      fc.property(userDocument, (doc) => {
        expect(matchesResource(doc, ne)).toBe(matchesResource(doc, and(present, not(equal))));
      }),
      { numRuns: 500 },
    );
  });
});
