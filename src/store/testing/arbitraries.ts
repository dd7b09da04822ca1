import fc from "fast-check";
import type { CompareOperator, FilterNode, Literal } from "../../scim/filter/ast.js";
import { parseAttributePath } from "../../scim/filter/parse-path.js";
import type { JsonObject, JsonValue } from "../../scim/json.js";
import { unwrap } from "../../scim/result.js";
import { Urn } from "../../scim/urns.js";

/*
 * fast-check generators for the store's property tests: small datasets shaped like documents the
 * provisioning layer stores (no null, [] or {}; strings may be ""), and filters over them. Values are
 * drawn from a small pool so that equalities, prefixes and case-folding collisions are frequent, and
 * the pool holds the characters where orders and foldings differ (NFC, İ, ß, final Σ, U+E000 vs emoji).
 * Stored text never contains U+0000 (the store refuses it on every database, as PostgreSQL cannot hold
 * it); filter literals do, to check that such a literal matches as the evaluator says. Every character
 * is assigned in Unicode 10 or earlier, where PostgreSQL's folding equals foldCase under any ICU the
 * tests meet (60 and newer; see the folding note in src/store/postgres/postgres-dialect.ts for the later
 * characters where it does not).
 */

const pieces = ["a", "A", "ab", "aB", "b", "é", "É", "e\u0301", "", " ", "x y", "😀", "\uE000", "%", "_", "İ", "ß", "Σ", "\u{10FFFF}", "z"];

const fromPieces = (pool: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...pool), fc.array(fc.constantFrom(...pool), { minLength: 2, maxLength: 3 }).map((parts) => parts.join("")));

/** Short strings built from the pool, as stored. */
export const text: fc.Arbitrary<string> = fromPieces(pieces);

/** Short strings for filter literals: the pool and U+0000, which no stored string contains. */
export const literalText: fc.Arbitrary<string> = fromPieces([...pieces, "\u0000"]);

const instants = ["2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z", "2026-06-15T12:00:00.000Z", "2027-03-01T08:30:00.000Z"];

/** A creation time for a stored resource. */
export const created: fc.Arbitrary<string> = fc.constantFrom(...instants);

/** A dateTime literal as a client writes it (offsets, no milliseconds), near the stored instants. */
const dateLiteral: fc.Arbitrary<string> = fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", "2025-12-31T23:59:59.999Z", "2026-06-15T12:00:00Z", "2026-06-15T14:00:00.000+02:00", "2030-01-01T00:00:00Z");

function optionalFields(fields: Record<string, fc.Arbitrary<JsonValue>>): fc.Arbitrary<JsonObject> {
  return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<JsonObject>;
}

const nonEmpty = (object: fc.Arbitrary<JsonObject>) => object.filter((value) => Object.keys(value).length > 0);

/** At most one element keeps `primary: true` (RFC 7643 §2.4), as coerceValue enforces. */
function onePrimary(elements: JsonObject[]): JsonObject[] {
  let seen = false;
  return elements.map((element) => {
    if (element["primary"] !== true) return element;
    if (seen) return { ...element, primary: false };
    seen = true;
    return element;
  });
}

const plural = (fields: Record<string, fc.Arbitrary<JsonValue>>) => fc.array(nonEmpty(optionalFields(fields)), { minLength: 1, maxLength: 3 }).map(onePrimary);

const typeValue = fc.constantFrom("work", "Work", "home", "");

/** User attributes (without userName, which the dataset makes unique). */
export const userAttributes: fc.Arbitrary<JsonObject> = optionalFields({
  externalId: text,
  active: fc.boolean(),
  title: text,
  displayName: text,
  nickName: text,
  profileUrl: text,
  name: nonEmpty(optionalFields({ givenName: text, familyName: text })),
  emails: plural({ value: text, type: typeValue, primary: fc.boolean(), display: text }),
  phoneNumbers: plural({ value: text, type: typeValue, primary: fc.boolean() }),
  roles: plural({ value: text, primary: fc.boolean() }),
  [Urn.EnterpriseUser]: nonEmpty(optionalFields({ employeeNumber: text, department: text, manager: nonEmpty(optionalFields({ value: text })) })),
});

/** A dataset: users (userName = a pool string + index, so unique) and groups with member indexes. */
export interface Dataset {
  readonly users: readonly { readonly userName: string; readonly attributes: JsonObject; readonly created: string }[];
  readonly groups: readonly { readonly displayName: string; readonly created: string; readonly userMembers: readonly number[]; readonly groupMembers: readonly number[] }[];
}

/** Up to 8 users and 4 groups whose members are users and other groups, by index. */
export const dataset: fc.Arbitrary<Dataset> = fc.record({
  users: fc.array(fc.record({ userName: text, attributes: userAttributes, created }), { maxLength: 8 }),
  groups: fc.array(
    fc.record({
      displayName: text,
      created,
      userMembers: fc.uniqueArray(fc.nat({ max: 7 }), { maxLength: 4 }),
      groupMembers: fc.uniqueArray(fc.nat({ max: 3 }), { maxLength: 2 }),
    }),
    { maxLength: 4 },
  ),
});

type Kind = "string" | "boolean" | "dateTime" | "complex";

const enterprise = Urn.EnterpriseUser;

/** Filterable User paths with the type of their leaf; "complex" paths only take `pr`. */
const userPaths: Readonly<Record<string, Kind>> = {
  id: "string",
  userName: "string",
  externalId: "string",
  title: "string",
  displayName: "string",
  nickName: "string",
  profileUrl: "string",
  "name.givenName": "string",
  "name.familyName": "string",
  emails: "string",
  "emails.value": "string",
  "emails.type": "string",
  "emails.display": "string",
  "phoneNumbers.value": "string",
  "phoneNumbers.type": "string",
  "roles.value": "string",
  "groups.value": "string",
  "groups.display": "string",
  "groups.type": "string",
  [`${enterprise}:employeeNumber`]: "string",
  [`${enterprise}:department`]: "string",
  [`${enterprise}:manager.value`]: "string",
  [`${enterprise}:manager`]: "string",
  active: "boolean",
  "emails.primary": "boolean",
  "phoneNumbers.primary": "boolean",
  "meta.created": "dateTime",
  "meta.lastModified": "dateTime",
  name: "complex",
  phoneNumbers: "complex",
  roles: "complex",
  groups: "complex",
  meta: "complex",
};

/** Sub-attributes usable inside `attr[…]` for each User attribute that takes a value path. */
const userValuePaths: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  emails: { value: "string", type: "string", display: "string", primary: "boolean" },
  phoneNumbers: { value: "string", type: "string", primary: "boolean" },
  roles: { value: "string", primary: "boolean" },
  groups: { value: "string", display: "string", type: "string" },
  name: { givenName: "string", familyName: "string" },
  meta: { created: "dateTime", lastModified: "dateTime" },
  [`${enterprise}:manager`]: { value: "string" },
};

/** Paths and sub-attributes for Group filters and for member filters (removeMembersWhere). */
const groupPaths: Readonly<Record<string, Kind>> = {
  id: "string",
  displayName: "string",
  members: "string",
  "members.value": "string",
  "members.type": "string",
  "members.display": "string",
  "meta.created": "dateTime",
  meta: "complex",
};
const groupValuePaths: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  members: { value: "string", type: "string", display: "string" },
};

const operators: Readonly<Record<Kind, readonly CompareOperator[]>> = {
  string: ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"],
  boolean: ["eq", "ne"],
  dateTime: ["eq", "ne", "gt", "ge", "lt", "le"],
  complex: [],
};

/** A literal for a leaf of this kind; strings sometimes come from the ids and names in play. */
function literal(kind: Kind, extraStrings: readonly string[]): fc.Arbitrary<Literal> {
  if (kind === "boolean") return fc.oneof(fc.boolean(), fc.constantFrom("True", "false"));
  if (kind === "dateTime") return dateLiteral;
  return extraStrings.length > 0 ? fc.oneof(literalText, fc.constantFrom(...extraStrings)) : literalText;
}

function leaf(paths: Readonly<Record<string, Kind>>, extraStrings: readonly string[]): fc.Arbitrary<FilterNode> {
  return fc.constantFrom(...Object.entries(paths)).chain(([written, kind]) => {
    const path = unwrap(parseAttributePath(written));
    const present: FilterNode = { kind: "present", path };
    if (kind === "complex") return fc.constant(present);
    const compare = fc.record({ op: fc.constantFrom(...operators[kind]), value: literal(kind, extraStrings) }).map(({ op, value }): FilterNode => ({ kind: "compare", path, op, value }));
    return fc.oneof({ arbitrary: compare, weight: 4 }, { arbitrary: fc.constant(present), weight: 1 });
  });
}

function tree(atom: fc.Arbitrary<FilterNode>, depth: number): fc.Arbitrary<FilterNode> {
  if (depth === 0) return atom;
  const smaller = tree(atom, depth - 1);
  return fc.oneof(
    { arbitrary: atom, weight: 3 },
    { arbitrary: fc.record({ left: smaller, right: smaller }).map(({ left, right }): FilterNode => ({ kind: "and", left, right })), weight: 1 },
    { arbitrary: fc.record({ left: smaller, right: smaller }).map(({ left, right }): FilterNode => ({ kind: "or", left, right })), weight: 1 },
    { arbitrary: smaller.map((operand): FilterNode => ({ kind: "not", operand })), weight: 1 },
  );
}

function valuePath(valuePaths: Readonly<Record<string, Readonly<Record<string, Kind>>>>, extraStrings: readonly string[]): fc.Arbitrary<FilterNode> {
  return fc.constantFrom(...Object.entries(valuePaths)).chain(([written, subs]) =>
    tree(leaf(subs, extraStrings), 2).map((filter): FilterNode => ({ kind: "valuePath", path: unwrap(parseAttributePath(written)), filter })),
  );
}

/** Random User filters (FilterNode, to be resolved with resolveFilter); `extraStrings` are ids worth matching. */
export function userFilter(extraStrings: readonly string[] = []): fc.Arbitrary<FilterNode> {
  return tree(fc.oneof({ arbitrary: leaf(userPaths, extraStrings), weight: 4 }, { arbitrary: valuePath(userValuePaths, extraStrings), weight: 1 }), 3);
}

/** Random Group filters. */
export function groupFilter(extraStrings: readonly string[] = []): fc.Arbitrary<FilterNode> {
  return tree(fc.oneof({ arbitrary: leaf(groupPaths, extraStrings), weight: 4 }, { arbitrary: valuePath(groupValuePaths, extraStrings), weight: 1 }), 3);
}

/** Random filters over member sub-attributes, as written inside `members[…]`. */
export function memberFilter(extraStrings: readonly string[] = []): fc.Arbitrary<FilterNode> {
  return tree(leaf(groupValuePaths["members"]!, extraStrings), 3).map((filter): FilterNode => ({ kind: "valuePath", path: { attribute: "members" }, filter }));
}

/** Sortable User paths. */
export const userSortPaths: readonly string[] = [
  "userName",
  "externalId",
  "title",
  "displayName",
  "active",
  "name.givenName",
  "emails.value",
  "emails.type",
  "phoneNumbers.value",
  "roles.value",
  "groups.value",
  "groups.display",
  "meta.created",
  `${enterprise}:department`,
  `${enterprise}:manager.value`,
];
