import { randomUUID } from "node:crypto";
import type { AttributePath, FilterNode } from "../../src/scim/filter/ast.js";
import { parseFilter } from "../../src/scim/filter/parse-filter.js";
import { parsePatchPath } from "../../src/scim/filter/parse-path.js";

/** A stored resource: a JSON object with `id`. */
export type Resource = Record<string, unknown> & { id: string };

/** Which collection. */
export type Kind = "Users" | "Groups";

/** A failure to answer with: HTTP status, SCIM scimType, detail. */
export class DirectoryError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

const schemaOf: Record<Kind, string> = { Users: "urn:ietf:params:scim:schemas:core:2.0:User", Groups: "urn:ietf:params:scim:schemas:core:2.0:Group" };
/** The attribute each kind keeps unique (case-insensitively, as RFC 7643 §4.1.1 has userName). */
const uniqueAttribute: Record<Kind, string> = { Users: "userName", Groups: "displayName" };
/** Attributes compared without regard to case in filters. */
const caseInsensitive = new Set(["username", "displayname"]);

/**
 * The in-memory directory of the fault target: Users and Groups with ids, the uniqueness of userName and
 * displayName, `eq` filters (joined with `and`/`or`), and RFC 7644 PATCH on plain attributes, sub-attributes,
 * value-filtered multi-valued attributes and group members. Small on purpose: it is a test target,
 * not a SCIM server; what it does not understand it answers with 400.
 */
export class FaultTargetDirectory {
  readonly #resources: Record<Kind, Map<string, Resource>> = { Users: new Map(), Groups: new Map() };
  /** The scimType sent with uniqueness conflicts (null: none, as some targets do). */
  conflictScimType: string | null = "uniqueness";

  /** All resources of a kind, copied, in creation order. */
  all(kind: Kind): Resource[] {
    return [...this.#resources[kind].values()].map((resource) => structuredClone(resource));
  }

  /** How many resources of a kind there are. */
  count(kind: Kind): number {
    return this.#resources[kind].size;
  }

  /** One resource, or undefined. */
  get(kind: Kind, id: string): Resource | undefined {
    const found = this.#resources[kind].get(id);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** The resources a filter selects; filter undefined selects all. Throws 400 invalidFilter for what it cannot evaluate. */
  find(kind: Kind, filter: string | undefined): Resource[] {
    if (filter === undefined) return this.all(kind);
    const parsed = parseFilter(filter);
    if (!parsed.ok) throw new DirectoryError(400, "invalidFilter", parsed.error.detail);
    // Select first, copy only what was selected: a lookup in 10,000 users must not copy 10,000.
    return [...this.#resources[kind].values()].filter((resource) => matches(resource, parsed.value)).map((resource) => structuredClone(resource));
  }

  /** Creates a resource from a POST body; 400 without the unique attribute, 409 when it is taken. */
  create(kind: Kind, body: Record<string, unknown>, baseUrl: string): Resource {
    const resource = this.#normalise(kind, body, randomUUID());
    this.#checkUnique(kind, resource);
    const now = new Date().toISOString();
    resource.meta = { resourceType: kind === "Users" ? "User" : "Group", created: now, lastModified: now, location: `${baseUrl}/${kind}/${resource.id}` };
    this.#resources[kind].set(resource.id, resource);
    return structuredClone(resource);
  }

  /** Replaces a resource (PUT), keeping its id and creation time. */
  replace(kind: Kind, id: string, body: Record<string, unknown>): Resource {
    const existing = this.#require(kind, id);
    const resource = this.#normalise(kind, body, id);
    this.#checkUnique(kind, resource);
    resource.meta = { ...(existing.meta as object), lastModified: new Date().toISOString() };
    this.#resources[kind].set(id, resource);
    return structuredClone(resource);
  }

  /** Applies PatchOp operations in order, all or nothing. */
  patch(kind: Kind, id: string, operations: readonly PatchInput[]): Resource {
    const working = structuredClone(this.#require(kind, id));
    for (const operation of operations) applyOperation(working, operation, kind);
    if (kind === "Groups") this.#checkMembers(working);
    this.#checkUnique(kind, working);
    working.meta = { ...(working.meta as object), lastModified: new Date().toISOString() };
    this.#resources[kind].set(id, working);
    return structuredClone(working);
  }

  /** Deletes a resource and every membership that names it. */
  delete(kind: Kind, id: string): void {
    this.#require(kind, id);
    this.#resources[kind].delete(id);
    for (const group of this.#resources.Groups.values()) {
      if (Array.isArray(group.members)) group.members = (group.members as { value: string }[]).filter((member) => member.value !== id);
    }
  }

  #require(kind: Kind, id: string): Resource {
    const found = this.#resources[kind].get(id);
    if (found === undefined) throw new DirectoryError(404, undefined, `${kind} ${id} not found`);
    return found;
  }

  #normalise(kind: Kind, body: Record<string, unknown>, id: string): Resource {
    const { id: _ignoredId, meta: _ignoredMeta, schemas, ...attributes } = structuredClone(body);
    const unique = uniqueAttribute[kind];
    if (typeof attributes[unique] !== "string" || attributes[unique] === "") throw new DirectoryError(400, "invalidValue", `${unique} is required`);
    const resource: Resource = { schemas: Array.isArray(schemas) ? schemas : [schemaOf[kind]], id, ...attributes };
    if (kind === "Groups") {
      resource.members = Array.isArray(resource.members) ? resource.members : [];
      this.#checkMembers(resource);
    }
    return resource;
  }

  #checkUnique(kind: Kind, resource: Resource): void {
    const attribute = uniqueAttribute[kind];
    const key = String(resource[attribute]).toLowerCase();
    for (const other of this.#resources[kind].values()) {
      if (other.id !== resource.id && String(other[attribute]).toLowerCase() === key) {
        throw new DirectoryError(409, this.conflictScimType ?? undefined, `${attribute} "${String(resource[attribute])}" is already taken`);
      }
    }
  }

  #checkMembers(group: Resource): void {
    const members = Array.isArray(group.members) ? (group.members as unknown[]) : [];
    const seen = new Set<string>();
    group.members = members.filter((member) => {
      const value = (member as { value?: unknown } | null)?.value;
      if (typeof value !== "string") throw new DirectoryError(400, "invalidValue", "every member needs a value");
      if (!this.#resources.Users.has(value) && !this.#resources.Groups.has(value)) throw new DirectoryError(400, "invalidValue", `member ${value} does not exist`);
      if (seen.has(value)) return false;
      seen.add(value);
      return true;
    });
  }
}

/** One PATCH operation as received. */
export interface PatchInput {
  readonly op?: unknown;
  readonly path?: unknown;
  readonly value?: unknown;
}

/** The number of changes an operation makes, as targets with a per-PATCH limit count them (one per member value). */
export function countChanges(operation: PatchInput): number {
  return Array.isArray(operation.value) ? Math.max(1, operation.value.length) : 1;
}

function applyOperation(resource: Resource, operation: PatchInput, kind: Kind): void {
  const op = typeof operation.op === "string" ? operation.op.toLowerCase() : "";
  if (op !== "add" && op !== "replace" && op !== "remove") throw new DirectoryError(400, "invalidSyntax", `unknown op ${String(operation.op)}`);
  if (operation.path === undefined) {
    if (op === "remove") throw new DirectoryError(400, "noTarget", "remove needs a path");
    if (typeof operation.value !== "object" || operation.value === null) throw new DirectoryError(400, "invalidValue", "a value object is required without a path");
    for (const [name, value] of Object.entries(operation.value)) applyOperation(resource, { op, path: name, value }, kind);
    return;
  }
  if (typeof operation.path !== "string") throw new DirectoryError(400, "invalidPath", "path must be a string");
  const parsed = parsePatchPath(operation.path);
  if (!parsed.ok) throw new DirectoryError(400, parsed.error.scimType ?? "invalidPath", parsed.error.detail);
  const path = parsed.value;
  const container = containerOf(resource, path, op !== "remove");
  if (container === undefined) return;
  const name = keyOf(container, path.attribute);
  if (path.valueFilter !== undefined) {
    const elements = Array.isArray(container[name]) ? (container[name] as Record<string, unknown>[]) : [];
    const selected = elements.filter((element) => matches(element, path.valueFilter!));
    if (op === "remove" && path.subAttribute === undefined) container[name] = elements.filter((element) => !selected.includes(element));
    else if (op === "remove") for (const element of selected) delete element[keyOf(element, path.subAttribute!)];
    else {
      if (selected.length === 0) throw new DirectoryError(400, "noTarget", `nothing matches ${operation.path}`);
      for (const element of selected) {
        if (path.subAttribute !== undefined) element[keyOf(element, path.subAttribute)] = operation.value;
        else Object.assign(element, operation.value);
      }
    }
    return;
  }
  if (path.subAttribute !== undefined) {
    const parent = (container[name] ??= {}) as Record<string, unknown>;
    if (op === "remove") delete parent[keyOf(parent, path.subAttribute)];
    else parent[keyOf(parent, path.subAttribute)] = operation.value;
    return;
  }
  const isMembers = kind === "Groups" && name.toLowerCase() === "members";
  if (op === "remove") {
    if (isMembers && Array.isArray(operation.value)) {
      const removed = new Set(operation.value.map((member) => (member as { value?: unknown }).value));
      container[name] = (container[name] as { value: string }[]).filter((member) => !removed.has(member.value));
    } else delete container[name];
  } else if (op === "add" && Array.isArray(operation.value) && (Array.isArray(container[name]) || isMembers)) {
    container[name] = [...((container[name] as unknown[] | undefined) ?? []), ...operation.value];
  } else {
    container[name] = operation.value;
  }
}

/** The object a path's attribute lives in: the resource, or its extension object for `urn:…:attribute`. */
function containerOf(resource: Resource, path: AttributePath, create: boolean): Record<string, unknown> | undefined {
  if (path.uri === undefined) return resource;
  const key = keyOf(resource, path.uri);
  if (resource[key] === undefined && create) resource[key] = {};
  return resource[key] as Record<string, unknown> | undefined;
}

/** The existing key matching `name` without regard to case (RFC 7643 §2.1), or `name` itself. */
function keyOf(object: Record<string, unknown>, name: string): string {
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower) ?? name;
}

/** Evaluates the subset of filters the target supports: `eq`, `ne`, `pr`, `and`, `or`, `not`, value paths. */
function matches(object: Record<string, unknown>, filter: FilterNode): boolean {
  switch (filter.kind) {
    case "and":
      return matches(object, filter.left) && matches(object, filter.right);
    case "or":
      return matches(object, filter.left) || matches(object, filter.right);
    case "not":
      return !matches(object, filter.operand);
    case "present":
      return valueAt(object, filter.path) !== undefined;
    case "valuePath": {
      const elements = valueAt(object, filter.path);
      return Array.isArray(elements) && elements.some((element) => typeof element === "object" && element !== null && matches(element as Record<string, unknown>, filter.filter));
    }
    case "compare": {
      if (filter.op !== "eq" && filter.op !== "ne") throw new DirectoryError(400, "invalidFilter", `the fault target supports eq and ne, not ${filter.op}`);
      const found = valueAt(object, filter.path);
      const fold = caseInsensitive.has((filter.path.subAttribute ?? filter.path.attribute).toLowerCase());
      const same = (value: unknown) => (fold && typeof value === "string" && typeof filter.value === "string" ? value.toLowerCase() === filter.value.toLowerCase() : value === filter.value);
      const equal = Array.isArray(found) ? found.some(same) : same(found);
      return filter.op === "eq" ? equal : !equal;
    }
  }
}

function valueAt(object: Record<string, unknown>, path: AttributePath): unknown {
  const container = path.uri === undefined ? object : (object[keyOf(object, path.uri)] as Record<string, unknown> | undefined);
  if (container === undefined || container === null) return undefined;
  const top = container[keyOf(container, path.attribute)];
  if (path.subAttribute === undefined) return top;
  if (Array.isArray(top)) return top.map((element) => (element as Record<string, unknown>)[keyOf(element as Record<string, unknown>, path.subAttribute!)]);
  if (typeof top !== "object" || top === null) return undefined;
  return (top as Record<string, unknown>)[keyOf(top as Record<string, unknown>, path.subAttribute)];
}
