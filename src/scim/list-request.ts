import { scimError } from "./errors.js";
import { parseFilter } from "./filter/parse-filter.js";
import { parseAttributePath } from "./filter/parse-path.js";
import { resolveFilter } from "./filter/resolve-filter.js";
import type { ResolvedFilter } from "./filter/resolved.js";
import { isJsonObject } from "./json.js";
import { parseProjection, type Projection } from "./resource/projection.js";
import { fail, ok, type Result } from "./result.js";
import { findSubAttribute, type ResolvedAttribute, type ResourceSchema } from "./schema/registry.js";
import { Urn } from "./urns.js";

/** Page size limits advertised in ServiceProviderConfig (`filter.maxResults`, `pagination`). */
export interface PagingLimits {
  readonly defaultCount: number;
  readonly maxCount: number;
}

/** A resolved sort key (RFC 7644 §3.4.2.3). */
export interface SortRequest {
  readonly attr: ResolvedAttribute;
  readonly descending: boolean;
}

/** Index paging (RFC 7644 §3.4.2.4) or cursor paging (RFC 9865); `cursor` is "" for the first page. */
export type PagingRequest =
  | { readonly kind: "index"; readonly startIndex: number; readonly count: number }
  | { readonly kind: "cursor"; readonly cursor: string; readonly count: number };

/** A list or search request, validated and bound to the schema. */
export interface ListRequest {
  readonly filter?: ResolvedFilter;
  readonly sort?: SortRequest;
  readonly paging: PagingRequest;
  readonly projection: Projection;
  /** Identifies filter + sort, so a cursor is only accepted by the query it came from. */
  readonly fingerprint: string;
}

/** Raw list parameters, from a query string or a SearchRequest body. */
export interface ListParameters {
  readonly filter?: unknown;
  readonly sortBy?: unknown;
  readonly sortOrder?: unknown;
  readonly startIndex?: unknown;
  readonly count?: unknown;
  readonly cursor?: unknown;
  readonly attributes?: unknown;
  readonly excludedAttributes?: unknown;
}

/** Parses GET query parameters (RFC 7644 §3.4.2); unknown parameters are ignored (ENT-40). */
export function parseListQuery(schema: ResourceSchema, query: Record<string, unknown>, limits: PagingLimits): Result<ListRequest> {
  return parseListParameters(schema, query, limits, "query");
}

/** Parses a SearchRequest body (RFC 7644 §3.4.3): lists are JSON arrays, numbers are JSON numbers. */
export function parseSearchRequest(schema: ResourceSchema, body: unknown, limits: PagingLimits): Result<ListRequest> {
  const params = searchRequestParameters(body);
  if (!params.ok) return params;
  return parseListParameters(schema, params.value, limits, "body");
}

/** Reads the SearchRequest message into raw parameters (attribute lists joined with commas). */
export function searchRequestParameters(body: unknown): Result<ListParameters> {
  if (!isJsonObject(body)) return fail(scimError("invalidSyntax", "A SearchRequest body must be a JSON object."));
  const schemas = body.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => typeof s === "string" && s.toLowerCase() === Urn.SearchRequest.toLowerCase()))) {
    return fail(scimError("invalidSyntax", `A SearchRequest must list "${Urn.SearchRequest}" in schemas.`));
  }
  const list = (name: string): Result<string | undefined> => {
    const value = body[name];
    if (value === undefined || value === null) return ok(undefined);
    if (typeof value === "string") return ok(value);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return ok(value.join(","));
    return fail(scimError("invalidSyntax", `"${name}" must be an array of attribute names.`));
  };
  const attributes = list("attributes");
  if (!attributes.ok) return attributes;
  const excludedAttributes = list("excludedAttributes");
  if (!excludedAttributes.ok) return excludedAttributes;
  return ok({
    filter: body.filter ?? undefined,
    sortBy: body.sortBy ?? undefined,
    sortOrder: body.sortOrder ?? undefined,
    startIndex: body.startIndex ?? undefined,
    count: body.count ?? undefined,
    cursor: body.cursor ?? undefined,
    attributes: attributes.value,
    excludedAttributes: excludedAttributes.value,
  });
}

function parseListParameters(schema: ResourceSchema, params: ListParameters, limits: PagingLimits, source: "query" | "body"): Result<ListRequest> {
  const filterText = optionalString(params.filter, "filter");
  if (!filterText.ok) return filterText;
  let filter: ResolvedFilter | undefined;
  if (filterText.value !== undefined && filterText.value.trim() !== "") {
    const parsed = parseFilter(filterText.value);
    if (!parsed.ok) return parsed;
    const resolved = resolveFilter(parsed.value, schema);
    if (!resolved.ok) return resolved;
    filter = resolved.value;
  }
  const sort = parseSort(schema, params.sortBy, params.sortOrder);
  if (!sort.ok) return sort;
  const paging = parsePaging(params, limits, source);
  if (!paging.ok) return paging;
  const attributes = optionalString(params.attributes, "attributes");
  if (!attributes.ok) return attributes;
  const excluded = optionalString(params.excludedAttributes, "excludedAttributes");
  if (!excluded.ok) return excluded;
  const projection = parseProjection(schema, { attributes: attributes.value, excludedAttributes: excluded.value });
  if (!projection.ok) return projection;
  const sortBy = typeof params.sortBy === "string" ? params.sortBy : "";
  const fingerprint = JSON.stringify([schema.name, filterText.value ?? "", sortBy.toLowerCase(), sort.value?.descending ?? false]);
  return ok({
    ...(filter ? { filter } : {}),
    ...(sort.value ? { sort: sort.value } : {}),
    paging: paging.value,
    projection: projection.value,
    fingerprint,
  });
}

function optionalString(value: unknown, name: string): Result<string | undefined> {
  if (value === undefined) return ok(undefined);
  if (typeof value === "string") return ok(value);
  return fail(scimError("invalidValue", `The "${name}" parameter must be given once, as a string.`));
}

function parseSort(schema: ResourceSchema, sortBy: unknown, sortOrder: unknown): Result<SortRequest | undefined> {
  const order = optionalString(sortOrder, "sortOrder");
  if (!order.ok) return order;
  let descending = false;
  if (order.value !== undefined && order.value !== "") {
    const normalized = order.value.toLowerCase();
    if (normalized !== "ascending" && normalized !== "descending") {
      return fail(scimError("invalidValue", `sortOrder must be "ascending" or "descending", got "${order.value}".`));
    }
    descending = normalized === "descending";
  }
  const by = optionalString(sortBy, "sortBy");
  if (!by.ok) return by;
  if (by.value === undefined || by.value === "") return ok(undefined);
  const path = parseAttributePath(by.value);
  if (!path.ok) return fail(scimError("invalidValue", `sortBy: ${path.error.detail}`));
  const resolved = schema.resolve(path.value);
  if (!resolved.ok) return fail(scimError("invalidValue", `sortBy: ${resolved.error}.`));
  if (resolved.value.kind !== "attribute") return fail(scimError("invalidValue", `sortBy must name an attribute, not the schema "${resolved.value.schema.id}".`));
  let attr: ResolvedAttribute = resolved.value;
  if (!attr.subAttribute && attr.attribute.type === "complex") {
    const value = findSubAttribute(attr.attribute, "value");
    if (!value) return fail(scimError("invalidValue", `sortBy "${by.value}" is a complex attribute; name one of its sub-attributes.`));
    attr = { ...attr, subAttribute: value };
  }
  const leaf = attr.subAttribute ?? attr.attribute;
  if (leaf.returned === "never") return fail(scimError("invalidValue", `sortBy cannot use "${by.value}".`));
  return ok({ attr: { schema: attr.schema, extension: attr.extension, attribute: attr.attribute, ...(attr.subAttribute ? { subAttribute: attr.subAttribute } : {}) }, descending });
}

function parsePaging(params: ListParameters, limits: PagingLimits, source: "query" | "body"): Result<PagingRequest> {
  const count = integerParameter(params.count, "count", source);
  if (!count.ok) return fail(scimError("invalidCount", count.error));
  if (params.cursor !== undefined && params.cursor !== null) {
    if (params.startIndex !== undefined) return fail(scimError("invalidValue", "Use either startIndex (index paging) or cursor (cursor paging), not both."));
    if (typeof params.cursor !== "string") return fail(scimError("invalidCursor", "The cursor parameter must be given once, as a string."));
    const size = count.value ?? limits.defaultCount;
    if (size < 1) return fail(scimError("invalidCount", "With cursor paging, count must be a positive integer."));
    return ok({ kind: "cursor", cursor: params.cursor, count: Math.min(size, limits.maxCount) });
  }
  const start = integerParameter(params.startIndex, "startIndex", source);
  if (!start.ok) return fail(scimError("invalidValue", start.error));
  // RFC 7644 §3.4.2.4: startIndex below 1 is read as 1, a negative count as 0; count never exceeds the maximum.
  const startIndex = Math.max(1, start.value ?? 1);
  const size = Math.min(Math.max(0, count.value ?? limits.defaultCount), limits.maxCount);
  return ok({ kind: "index", startIndex, count: size });
}

function integerParameter(value: unknown, name: string, source: "query" | "body"): { ok: true; value: number | undefined } | { ok: false; error: string } {
  if (value === undefined || value === null || value === "") return { ok: true, value: undefined };
  const number = typeof value === "number" ? value : source === "query" && typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) return { ok: false, error: `${name} must be an integer, got ${JSON.stringify(value)}.` };
  return { ok: true, value: number };
}
