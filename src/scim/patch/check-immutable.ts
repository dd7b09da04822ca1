import { scimError } from "../errors.js";
import type { JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { jsonEqual } from "../resource/json-equal.js";
import type { AttributeDefinition } from "../schema/attribute.js";

/** RFC 7643 §2.2 immutable: a value may be set once; changing an existing value is a `mutability` error. */
export function checkImmutable(definition: AttributeDefinition, before: JsonValue | undefined, after: JsonValue | undefined, label: string): Result<true> {
  if (definition.mutability !== "immutable" || before === undefined || jsonEqual(before, after)) return ok(true);
  return fail(scimError("mutability", `${label} is immutable and already has a value, so it cannot be changed.`));
}
