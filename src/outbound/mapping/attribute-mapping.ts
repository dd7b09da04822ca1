import type { JsonValue } from "../../scim/json.js";

/** When a mapping is applied: on every write, or only when the object is created in the target (Entra's "Only during creation"). */
export type ApplyOn = "always" | "create";

/**
 * One attribute mapping of an app, as configured: a target attribute path and exactly one of a source
 * path, a constant or an expression. Paths use the SCIM PATCH path grammar (RFC 7644 §3.5.2); extension
 * attributes are written with their full URN (`urn:…:enterprise:2.0:User:department`).
 */
export interface AttributeMapping {
  /** Where the value goes in the target's document, e.g. `emails[type eq "work"].value`. */
  readonly target: string;
  /** A path in Muster's stored document; the value is copied as it is. */
  readonly source?: string;
  /** A JSON value sent as it is. */
  readonly constant?: JsonValue;
  /** An expression of the mapping language, e.g. `join(" ", name.givenName, name.familyName)`. */
  readonly expression?: string;
  /** Default "always". */
  readonly applyOn?: ApplyOn;
}

/** A problem with one mapping (`index` into the list, the `field` at fault) or with the list as a whole (no index). */
export interface MappingProblem {
  readonly index?: number;
  readonly field?: "target" | "source" | "constant" | "expression" | "applyOn";
  readonly message: string;
}

/** Formats a problem as `[3].expression: expected ")" at column 14` (prefix it with the setting's name). */
export function describeMappingProblem(problem: MappingProblem): string {
  const where = problem.index === undefined ? "" : `[${problem.index}]${problem.field ? `.${problem.field}` : ""}: `;
  return `${where}${problem.message}`;
}
