import type { JsonObject } from "../../scim/json.js";

/**
 * A Muster User or Group as the mappings read it: the stored attribute document (canonical names,
 * extension attributes under their URN key; `ResourceRecord` fits) and its id. `created` and
 * `lastModified` (ISO 8601) make `meta.created` / `meta.lastModified` readable when given.
 */
export interface SourceResource {
  readonly id: string;
  readonly attributes: JsonObject;
  readonly created?: string;
  readonly lastModified?: string;
}
