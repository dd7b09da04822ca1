import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { AttributeMapping, MappingProblem } from "./attribute-mapping.js";
import { compileMappings } from "./compile-mappings.js";

/** Every problem with an app's mappings for Users or Groups (see compileMappings); empty when they are valid. */
export function validateMappings(type: ResourceTypeName, mappings: readonly AttributeMapping[]): MappingProblem[] {
  const compiled = compileMappings(type, mappings);
  return compiled.ok ? [] : compiled.error;
}
