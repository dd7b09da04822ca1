import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { Urn } from "../../scim/urns.js";
import type { AttributeMapping } from "./attribute-mapping.js";

const enterprise = (name: string) => `${Urn.EnterpriseUser}:${name}`;
const copy = (path: string): AttributeMapping => ({ target: path, source: path, applyOn: "always" });

/**
 * The User mappings an app gets unless it sets its own: every core and enterprise attribute a target can
 * use, copied as stored. Not sent: `password` (stored only as a hash), `groups` (the engine provisions
 * memberships), `x509Certificates` (authentication material whose meaning depends on the target; add
 * `{ target: "x509Certificates", source: "x509Certificates" }` to send them). `manager` is a reference:
 * the engine sends the target's id of the manager once the manager exists there.
 */
export const defaultUserMappings: readonly AttributeMapping[] = [
  copy("userName"),
  copy("externalId"),
  copy("name"),
  copy("displayName"),
  copy("nickName"),
  copy("profileUrl"),
  copy("title"),
  copy("userType"),
  copy("preferredLanguage"),
  copy("locale"),
  copy("timezone"),
  copy("active"),
  copy("emails"),
  copy("phoneNumbers"),
  copy("addresses"),
  copy("ims"),
  copy("photos"),
  copy("roles"),
  copy("entitlements"),
  copy(enterprise("employeeNumber")),
  copy(enterprise("costCenter")),
  copy(enterprise("organization")),
  copy(enterprise("division")),
  copy(enterprise("department")),
  copy(enterprise("manager")),
];

/** The Group mappings an app gets unless it sets its own; members are provisioned by the engine, not mapped. */
export const defaultGroupMappings: readonly AttributeMapping[] = [copy("displayName"), copy("externalId")];

/** The default mappings for a resource type. */
export function defaultMappings(type: ResourceTypeName): readonly AttributeMapping[] {
  return type === "User" ? defaultUserMappings : defaultGroupMappings;
}
