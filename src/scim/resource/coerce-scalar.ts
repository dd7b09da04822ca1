import { scimError } from "../errors.js";
import { parseDateTime } from "../filter/parse-date-time.js";
import { fail, ok, type Result } from "../result.js";
import type { AttributeType } from "../schema/attribute.js";
import { describeJson } from "./describe-json.js";

type ScalarType = Exclude<AttributeType, "complex">;

/** RFC 4648 §4 base64 with padding, as RFC 7643 §2.3.6 requires for binary values. */
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const expected: Readonly<Record<ScalarType, string>> = {
  string: "a string",
  boolean: "a boolean",
  integer: "an integer",
  decimal: "a number",
  dateTime: "an xsd:dateTime string such as 2026-03-01T10:15:30Z",
  binary: "a base64 string",
  reference: "a string (URI or id)",
};

/**
 * Checks one simple value against an RFC 7643 §2.3 data type. Values are kept as sent, except that
 * finite numbers become strings for string attributes and "true"/"false" in any case become booleans
 * (Entra sends "True"/"False", COMPATIBILITY ENT-36 / RFC-16).
 */
export function coerceScalar(type: ScalarType, value: unknown, label: string): Result<string | number | boolean> {
  switch (type) {
    case "string":
      if (typeof value === "string") return ok(value);
      if (typeof value === "number" && Number.isFinite(value)) return ok(String(value));
      break;
    case "boolean":
      if (typeof value === "boolean") return ok(value);
      if (typeof value === "string") {
        const lowered = value.toLowerCase();
        if (lowered === "true") return ok(true);
        if (lowered === "false") return ok(false);
      }
      break;
    case "integer":
      if (typeof value === "number" && Number.isSafeInteger(value)) return ok(value);
      break;
    case "decimal":
      if (typeof value === "number" && Number.isFinite(value)) return ok(value);
      break;
    case "dateTime":
      if (typeof value === "string" && parseDateTime(value) !== undefined) return ok(value);
      break;
    case "binary":
      if (typeof value === "string" && base64Pattern.test(value)) return ok(value);
      break;
    case "reference":
      if (typeof value === "string") return ok(value);
      break;
  }
  return fail(scimError("invalidValue", `${label} must be ${expected[type]}, got ${describeJson(value)}.`));
}
