import { createHash } from "node:crypto";
import { isJsonObject, type JsonValue } from "../../scim/json.js";

/**
 * SHA-256 (hex) of a document's canonical JSON: object keys sorted by code unit, arrays in order, no
 * white space. Equal documents hash equally whatever their key order, so the engine can skip an object
 * whose projection has not changed since it was last written.
 */
export function hashProjection(document: JsonValue): string {
  return createHash("sha256").update(canonicalJson(document)).digest("hex");
}

/** JSON text with object keys sorted, recursively; the same value always gives the same text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
