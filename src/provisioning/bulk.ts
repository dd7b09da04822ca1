import { ScimError, scimError } from "../scim/errors.js";
import { isJsonObject, type JsonValue } from "../scim/json.js";
import { protocolLimits } from "../scim/limits.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";
import type { ProvisioningContext } from "./context.js";
import { createResource, deleteResource, etagOf, patchResource, replaceResource, type ResourceView } from "./resources.js";

type BulkMethod = "POST" | "PUT" | "PATCH" | "DELETE";

interface BulkOperation {
  readonly index: number;
  readonly method: BulkMethod;
  readonly bulkId?: string;
  readonly version?: string;
  readonly path: string;
  readonly data: JsonValue | undefined;
  /** bulkIds this operation refers to, in its path or data. */
  readonly references: ReadonlySet<string>;
}

/** The outcome of one bulk operation (RFC 7644 §3.7.3). */
export interface BulkResult {
  readonly method: BulkMethod | string;
  readonly bulkId?: string;
  readonly status: number;
  readonly resource?: { readonly type: ResourceTypeName; readonly id: string; readonly version: string };
  readonly error?: ScimError;
}

const noRelations = { members: false, groups: false };
const bulkIdPrefix = "bulkId:";

/**
 * Runs a BulkRequest (RFC 7644 §3.7): each operation in its own transaction, through the same use
 * cases as the single-resource endpoints. Operations run in request order, except that one naming
 * `bulkId:x` waits until the POST with bulkId x has run; circular or failed references give 409.
 * Stops after `failOnErrors` errors. Results come back in request order.
 */
export async function runBulk(ctx: ProvisioningContext, tenantId: string, body: unknown): Promise<BulkResult[]> {
  const { operations, failOnErrors } = parseBulkRequest(body);
  const created = new Map<string, string>();
  const failed = new Set<string>();
  const results = new Map<number, BulkResult>();
  let errors = 0;
  const pending = [...operations];
  while (pending.length > 0 && (failOnErrors === undefined || errors < failOnErrors)) {
    const ready = pending.findIndex((op) => [...op.references].every((ref) => created.has(ref) || failed.has(ref) || !definesBulkId(operations, ref)));
    const op = ready >= 0 ? pending.splice(ready, 1)[0]! : pending.shift()!;
    const result = ready >= 0 ? await runOperation(ctx, tenantId, op, operations, created, failed) : failure(op, scimError("conflict", `Operation ${op.index + 1} is part of a circular bulkId reference; it was not run.`));
    if (result.error) {
      errors += 1;
      if (op.bulkId) failed.add(op.bulkId);
    } else if (op.bulkId && result.resource) {
      created.set(op.bulkId, result.resource.id);
    }
    results.set(op.index, result);
  }
  return [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result);
}

async function runOperation(ctx: ProvisioningContext, tenantId: string, op: BulkOperation, all: readonly BulkOperation[], created: Map<string, string>, failed: Set<string>): Promise<BulkResult> {
  for (const ref of op.references) {
    if (!definesBulkId(all, ref)) return failure(op, scimError("invalidValue", `bulkId "${ref}" is not defined by any POST operation in this request.`));
    if (failed.has(ref)) return failure(op, scimError("conflict", `bulkId "${ref}" refers to an operation that failed.`));
  }
  try {
    const path = replaceBulkIds(op.path, created) as string;
    const data = op.data === undefined ? undefined : replaceBulkIds(op.data, created);
    const target = parsePath(path, op.method);
    const ifMatch = op.version;
    let view: ResourceView | undefined;
    switch (op.method) {
      case "POST":
        view = await createResource(ctx, { tenantId, type: target.type }, data, noRelations);
        return success(op, 201, view);
      case "PUT":
        view = await replaceResource(ctx, { tenantId, type: target.type }, target.id!, data, ifMatch, noRelations);
        return success(op, 200, view);
      case "PATCH":
        view = await patchResource(ctx, { tenantId, type: target.type }, target.id!, data, ifMatch, noRelations);
        return success(op, 200, view);
      case "DELETE":
        await deleteResource(ctx, { tenantId, type: target.type }, target.id!, ifMatch);
        return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: 204, resource: { type: target.type, id: target.id!, version: "" } };
    }
  } catch (error) {
    if (error instanceof ScimError) return failure(op, error);
    throw error;
  }
}

function success(op: BulkOperation, status: number, view: ResourceView): BulkResult {
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status, resource: { type: view.record.type, id: view.record.id, version: etagOf(view.record) } };
}

function failure(op: BulkOperation, error: ScimError): BulkResult {
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: error.status, error };
}

function definesBulkId(operations: readonly BulkOperation[], bulkId: string): boolean {
  return operations.some((op) => op.method === "POST" && op.bulkId === bulkId);
}

/** `/Users`, `/Groups` (POST) or `/Users/{id}`, `/Groups/{id}` (PUT, PATCH, DELETE). */
function parsePath(path: string, method: BulkMethod): { type: ResourceTypeName; id?: string } {
  const match = /^\/(Users|Groups)(?:\/([^/?#]+))?$/i.exec(path);
  if (!match) throw scimError("invalidValue", `Bulk path "${path}" must be /Users, /Groups, /Users/{id} or /Groups/{id}.`);
  const type: ResourceTypeName = match[1]!.toLowerCase() === "users" ? "User" : "Group";
  const id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  if (method === "POST" && id !== undefined) throw scimError("invalidValue", `POST in a bulk request goes to /${type}s, not "${path}".`);
  if (method !== "POST" && id === undefined) throw scimError("invalidValue", `${method} in a bulk request needs a resource path such as /${type}s/{id}.`);
  return { type, ...(id === undefined ? {} : { id }) };
}

function replaceBulkIds(value: JsonValue, created: ReadonlyMap<string, string>): JsonValue {
  if (typeof value === "string") {
    return value.replace(/bulkId:([A-Za-z0-9._~-]+)/g, (whole, id: string) => created.get(id) ?? whole);
  }
  if (Array.isArray(value)) return value.map((item) => replaceBulkIds(item, created));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceBulkIds(item, created)]));
  return value;
}

function collectReferences(value: JsonValue | undefined, into: Set<string>): void {
  if (typeof value === "string") {
    for (const match of value.matchAll(/bulkId:([A-Za-z0-9._~-]+)/g)) into.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (isJsonObject(value)) {
    for (const item of Object.values(value)) collectReferences(item, into);
  }
}

function parseBulkRequest(body: unknown): { operations: BulkOperation[]; failOnErrors?: number } {
  if (!isJsonObject(body)) throw scimError("invalidSyntax", "A BulkRequest body must be a JSON object.");
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) throw scimError("invalidSyntax", "A BulkRequest needs a non-empty \"Operations\" array.");
  if (operations.length > protocolLimits.bulkMaxOperations) {
    throw scimError("payloadTooLarge", `The bulk request has ${operations.length} operations; maxOperations is ${protocolLimits.bulkMaxOperations}.`);
  }
  const failOnErrors = body.failOnErrors;
  if (failOnErrors !== undefined && failOnErrors !== null && !(typeof failOnErrors === "number" && Number.isSafeInteger(failOnErrors) && failOnErrors >= 1)) {
    throw scimError("invalidSyntax", "failOnErrors must be a positive integer.");
  }
  const seenBulkIds = new Set<string>();
  const parsed = operations.map((raw, index): BulkOperation => {
    if (!isJsonObject(raw)) throw scimError("invalidSyntax", `Bulk operation ${index + 1} must be a JSON object.`);
    const method = typeof raw.method === "string" ? raw.method.toUpperCase() : "";
    if (method !== "POST" && method !== "PUT" && method !== "PATCH" && method !== "DELETE") {
      throw scimError("invalidSyntax", `Bulk operation ${index + 1}: method must be POST, PUT, PATCH or DELETE.`);
    }
    if (typeof raw.path !== "string") throw scimError("invalidSyntax", `Bulk operation ${index + 1}: "path" is required.`);
    const bulkId = raw.bulkId;
    if (bulkId !== undefined && (typeof bulkId !== "string" || !/^[A-Za-z0-9._~-]{1,200}$/.test(bulkId))) {
      throw scimError("invalidSyntax", `Bulk operation ${index + 1}: bulkId must be 1-200 letters, digits, '.', '_', '~' or '-'.`);
    }
    if (method === "POST" && bulkId === undefined) throw scimError("invalidSyntax", `Bulk operation ${index + 1}: POST requires a bulkId.`);
    if (typeof bulkId === "string") {
      if (seenBulkIds.has(bulkId)) throw scimError("invalidSyntax", `bulkId "${bulkId}" is used by more than one operation.`);
      seenBulkIds.add(bulkId);
    }
    if (raw.version !== undefined && typeof raw.version !== "string") throw scimError("invalidSyntax", `Bulk operation ${index + 1}: version must be a string.`);
    if ((method === "POST" || method === "PUT" || method === "PATCH") && raw.data === undefined) {
      throw scimError("invalidSyntax", `Bulk operation ${index + 1}: ${method} needs "data".`);
    }
    const references = new Set<string>();
    collectReferences(raw.path, references);
    collectReferences(raw.data, references);
    return {
      index,
      method,
      path: raw.path,
      data: raw.data,
      references,
      ...(typeof bulkId === "string" ? { bulkId } : {}),
      ...(typeof raw.version === "string" ? { version: raw.version } : {}),
    };
  });
  return { operations: parsed, ...(typeof failOnErrors === "number" ? { failOnErrors } : {}) };
}
