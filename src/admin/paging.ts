import type { CursorCodec, CursorPayload } from "../scim/cursor.js";
import { fail, ok, type Result } from "../scim/result.js";
import { adminError, type AdminError } from "./admin-error.js";

/** Page sizes of the admin API's lists (shared/admin-api.ts DirectoryQuery, ActivityQuery). */
export const adminPageSizes = { defaultCount: 50, maxCount: 200 } as const;

/** Where a page of the admin API starts: after this position, for a query with this fingerprint. */
export interface PageStart {
  readonly after?: CursorPayload;
  readonly count: number;
  /** Binds cursors to the query they came from. */
  readonly fingerprint: string;
}

/** Query parameters as Fastify gives them: strings, or arrays when a name was repeated. */
export type RawQuery = Readonly<Record<string, unknown>>;

/** An optional single string parameter; a repeated or non-string one is `invalid` naming the parameter. */
export function optionalParameter(query: RawQuery, name: string): Result<string | undefined, AdminError> {
  const value = query[name];
  if (value === undefined) return ok(undefined);
  if (typeof value !== "string") return fail(adminError("invalid", `Give "${name}" once, as text.`, { field: name }));
  return ok(value);
}

/** An optional parameter that must be one of `allowed` (empty means not given); anything else is `invalid` naming it. */
export function oneOfParameter<T extends string>(query: RawQuery, name: string, allowed: readonly T[]): Result<T | undefined, AdminError> {
  const text = optionalParameter(query, name);
  if (!text.ok) return text;
  if (text.value === undefined || text.value === "") return ok(undefined);
  const found = allowed.find((value) => value === text.value);
  if (found === undefined) return fail(adminError("invalid", `${name} must be one of ${allowed.join(", ")}; got "${text.value.slice(0, 80)}".`, { field: name }));
  return ok(found);
}

/** `count` (1–200, default 50) and `cursor` (opaque, from the previous page of the same query). */
export function parsePageStart(query: RawQuery, cursors: CursorCodec, fingerprint: string): Result<PageStart, AdminError> {
  const countText = optionalParameter(query, "count");
  if (!countText.ok) return countText;
  let count: number = adminPageSizes.defaultCount;
  if (countText.value !== undefined && countText.value !== "") {
    const parsed = /^\d{1,4}$/.test(countText.value) ? Number(countText.value) : NaN;
    if (!(parsed >= 1 && parsed <= adminPageSizes.maxCount)) {
      return fail(adminError("invalid", `count must be a whole number from 1 to ${adminPageSizes.maxCount}; got "${countText.value}".`, { field: "count" }));
    }
    count = parsed;
  }
  const cursor = optionalParameter(query, "cursor");
  if (!cursor.ok) return cursor;
  if (cursor.value === undefined || cursor.value === "") return ok({ count, fingerprint });
  const position = cursors.decode(cursor.value, fingerprint);
  if (!position.ok) return fail(adminError("invalid", "The cursor does not belong to this list with these parameters; start again from the first page.", { field: "cursor" }));
  return ok({ after: position.value, count, fingerprint });
}

/** The opaque cursor of the next page, or null on the last one. */
export function nextCursorOf(cursors: CursorCodec, start: PageStart, next: CursorPayload | undefined): string | null {
  return next ? cursors.encode(next, start.fingerprint) : null;
}
