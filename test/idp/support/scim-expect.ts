import { expect } from "vitest";
import { Urn } from "../../../src/scim/urns.js";
import type { RawResponse } from "./raw-client.js";

/** The Content-Type of every Muster response (RFC 7644 §8.1, ENT-82). */
export const scimContentType = "application/scim+json; charset=utf-8";

/**
 * Asserts an RFC 7644 §3.12 Error in SCIM JSON: `status` is the HTTP status as a string, `scimType`
 * as given (absent when not given), and a `detail` an administrator can act on (RFC-05, ENT-70).
 * Returns the detail.
 */
export function expectScimError(response: RawResponse, status: number, scimType?: string): string {
  expect(response.status, response.text).toBe(status);
  expect(response.headers["content-type"]).toBe(scimContentType);
  expect(response.body.schemas).toEqual([Urn.Error]);
  expect(response.body.status).toBe(String(status));
  if (scimType === undefined) expect(response.body).not.toHaveProperty("scimType");
  else expect(response.body.scimType).toBe(scimType);
  expect(typeof response.body.detail).toBe("string");
  expect(response.body.detail.length).toBeGreaterThan(10);
  return response.body.detail as string;
}

/** Asserts a 200 ListResponse in SCIM JSON with `totalResults` resources, all in this page; returns them. */
export function expectList(response: RawResponse, totalResults: number): any[] {
  expect(response.status, response.text).toBe(200);
  expect(response.headers["content-type"]).toBe(scimContentType);
  expect(response.body.schemas).toEqual([Urn.ListResponse]);
  expect(response.body.totalResults).toBe(totalResults);
  expect(response.body.itemsPerPage).toBe(totalResults);
  expect(response.body.Resources).toHaveLength(totalResults);
  return response.body.Resources as any[];
}

/** Asserts a 201 in SCIM JSON whose Location header is the resource's meta.location (RFC-04); returns the body. */
export function expectCreated(response: RawResponse): any {
  expect(response.status, response.text).toBe(201);
  expect(response.headers["content-type"]).toBe(scimContentType);
  expect(typeof response.body.id).toBe("string");
  expect(response.headers.location).toBe(response.body.meta.location);
  return response.body;
}

/** Asserts a 204 with an empty body. */
export function expectNoContent(response: RawResponse): void {
  expect(response.status, response.text).toBe(204);
  expect(response.text).toBe("");
}

/** Every JSON path in `value` whose value is null (ENT-80, RFC-11: absent values are omitted, never null). */
export function nullPaths(value: unknown, at = "$"): string[] {
  if (value === null) return [at];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullPaths(item, `${at}[${index}]`));
  if (typeof value === "object") return Object.entries(value as object).flatMap(([key, item]) => nullPaths(item, `${at}.${key}`));
  return [];
}

/** Every object key anywhere in `value` that looks like a PATCH path stored literally (ENT-32, ENT-35). */
export function pathLikeKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(pathLikeKeys);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value as object).flatMap(([key, item]) => [
    ...(/[[\]"]/.test(key) || (/\./.test(key) && !key.startsWith("urn:")) || /^urn:.*:User:/i.test(key) ? [key] : []),
    ...pathLikeKeys(item),
  ]);
}
