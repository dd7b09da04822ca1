import type { AttributePath } from "../../scim/filter/ast.js";
import type { ScimResource } from "./read-scim-body.js";

/**
 * The first returned resource whose value at `path` plainly differs from the value filtered for: proof
 * that the target ignored the filter (some answer every filter with their whole directory, and adopting
 * the first of those would link the wrong person). Resources without the attribute, and multi-valued
 * attributes, are not judged. Compared without regard to case, as userName and displayName are.
 */
export function findMismatch(resources: readonly ScimResource[], path: AttributePath, value: string): { resource: ScimResource; found: string } | undefined {
  const wanted = value.toLowerCase();
  for (const resource of resources) {
    const found = valueAt(resource, path);
    if (typeof found === "string" && found.toLowerCase() !== wanted) return { resource, found };
  }
  return undefined;
}

/** The value at `[uri:]attribute[.subAttribute]`, matching names without regard to case (RFC 7643 §2.1). */
function valueAt(resource: Readonly<Record<string, unknown>>, path: AttributePath): unknown {
  const container = path.uri !== undefined ? property(resource, path.uri) : resource;
  if (typeof container !== "object" || container === null || Array.isArray(container)) return undefined;
  const top = property(container as Record<string, unknown>, path.attribute);
  if (path.subAttribute === undefined) return top;
  if (typeof top !== "object" || top === null || Array.isArray(top)) return undefined;
  return property(top as Record<string, unknown>, path.subAttribute);
}

function property(object: Readonly<Record<string, unknown>>, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}
