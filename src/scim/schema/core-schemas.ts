import { Urn } from "../urns.js";
import { attribute, type AttributeDefinition, type SchemaDefinition } from "./attribute.js";

const str = (name: string, description: string, options: Parameters<typeof attribute>[2] = {}) =>
  attribute(name, "string", { description, ...options });

/** A multi-valued complex attribute with the usual value/display/type/primary sub-attributes (RFC 7643 §2.4). */
function plural(name: string, description: string, types: readonly string[], valueType: "string" | "reference" | "binary" = "string", referenceTypes?: string[]): AttributeDefinition {
  return attribute(name, "complex", {
    description,
    multiValued: true,
    subAttributes: [
      attribute("value", valueType, { description: `The value of the ${name} entry.`, ...(referenceTypes ? { referenceTypes } : {}) }),
      str("display", "A human-readable name, primarily used for display purposes."),
      str("type", `A label indicating the kind of ${name} entry.`, types.length ? { canonicalValues: types } : {}),
      attribute("primary", "boolean", { description: "Marks the preferred value; true at most once per attribute." }),
    ],
  });
}

/**
 * Attributes every resource has (RFC 7643 §3.1). They are not listed under /Schemas but resolve in
 * filters, paths and `attributes` like any other attribute of the core schema.
 */
export const commonAttributes: readonly AttributeDefinition[] = [
  str("id", "Unique identifier issued by the service provider.", { caseExact: true, mutability: "readOnly", returned: "always", uniqueness: "server" }),
  str("externalId", "Identifier of the resource as defined by the provisioning client.", { caseExact: true }),
  attribute("meta", "complex", {
    description: "Resource metadata.",
    mutability: "readOnly",
    subAttributes: [
      str("resourceType", "The resource type.", { caseExact: true, mutability: "readOnly" }),
      attribute("created", "dateTime", { description: "When the resource was added.", mutability: "readOnly" }),
      attribute("lastModified", "dateTime", { description: "When the resource was last changed.", mutability: "readOnly" }),
      attribute("location", "reference", { description: "The URI of the resource.", caseExact: true, mutability: "readOnly", referenceTypes: ["uri"] }),
      str("version", "The weak entity tag of the resource.", { caseExact: true, mutability: "readOnly" }),
    ],
  }),
];

/** RFC 7643 §4.1 and §8.7.1: urn:ietf:params:scim:schemas:core:2.0:User. */
export const userSchema: SchemaDefinition = {
  id: Urn.User,
  name: "User",
  description: "User Account",
  attributes: [
    str("userName", "Unique identifier for the User, used to authenticate; unique per tenant, compared case-insensitively.", { required: true, uniqueness: "server" }),
    attribute("name", "complex", {
      description: "The components of the user's real name.",
      subAttributes: [
        str("formatted", "The full name, formatted for display."),
        str("familyName", "The family name."),
        str("givenName", "The given name."),
        str("middleName", "The middle name(s)."),
        str("honorificPrefix", "Honorific prefix, e.g. 'Ms.'."),
        str("honorificSuffix", "Honorific suffix, e.g. 'III'."),
      ],
    }),
    str("displayName", "The name of the User, suitable for display to end-users."),
    str("nickName", "The casual way to address the user."),
    attribute("profileUrl", "reference", { description: "A URI of the user's online profile.", referenceTypes: ["external"] }),
    str("title", "The user's title, such as 'Vice President'."),
    str("userType", "The relationship between the organization and the user."),
    str("preferredLanguage", "The user's preferred written or spoken language (RFC 7231 Accept-Language format)."),
    str("locale", "The user's default location for localization (e.g. en-US)."),
    str("timezone", "The user's time zone in IANA Time Zone database format."),
    attribute("active", "boolean", { description: "The user's administrative status." }),
    str("password", "The user's cleartext password; write-only and never returned.", { mutability: "writeOnly", returned: "never" }),
    plural("emails", "Email addresses for the user.", ["work", "home", "other"]),
    plural("phoneNumbers", "Phone numbers for the user.", ["work", "home", "mobile", "fax", "pager", "other"]),
    plural("ims", "Instant messaging addresses for the user.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
    plural("photos", "URLs of photos of the user.", ["photo", "thumbnail"], "reference", ["external"]),
    attribute("addresses", "complex", {
      description: "A physical mailing address for this user.",
      multiValued: true,
      subAttributes: [
        str("formatted", "The full mailing address, formatted for display."),
        str("streetAddress", "The full street address component."),
        str("locality", "The city or locality component."),
        str("region", "The state or region component."),
        str("postalCode", "The zip code or postal code component."),
        str("country", "The country name component."),
        str("type", "A label indicating the kind of address.", { canonicalValues: ["work", "home", "other"] }),
        attribute("primary", "boolean", { description: "Marks the preferred mailing address." }),
      ],
    }),
    attribute("groups", "complex", {
      description: "The groups the user belongs to, derived from group membership; read-only.",
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [
        str("value", "The id of the Group.", { mutability: "readOnly" }),
        attribute("$ref", "reference", { description: "The URI of the Group.", caseExact: true, mutability: "readOnly", referenceTypes: ["User", "Group"] }),
        str("display", "The displayName of the Group.", { mutability: "readOnly" }),
        str("type", "How the membership is derived.", { mutability: "readOnly", canonicalValues: ["direct", "indirect"] }),
      ],
    }),
    plural("entitlements", "A list of entitlements for the user.", []),
    plural("roles", "A list of roles for the user.", []),
    plural("x509Certificates", "A list of certificates issued to the user (base64 DER).", [], "binary"),
  ],
};

/** RFC 7643 §4.2 and §8.7.1: urn:ietf:params:scim:schemas:core:2.0:Group. */
export const groupSchema: SchemaDefinition = {
  id: Urn.Group,
  name: "Group",
  description: "Group",
  attributes: [
    // Required although RFC 7643 §8.7.1 says otherwise (errata 5606); Muster keeps it unique per tenant because Entra ID matches groups by it.
    str("displayName", "A human-readable name for the Group; unique per tenant, compared case-insensitively.", { required: true, uniqueness: "server" }),
    attribute("members", "complex", {
      description: "A list of members of the Group.",
      multiValued: true,
      subAttributes: [
        str("value", "The id of the member resource.", { caseExact: true, mutability: "immutable" }),
        attribute("$ref", "reference", { description: "The URI of the member resource.", caseExact: true, mutability: "immutable", referenceTypes: ["User", "Group"] }),
        str("type", "The type of the member resource.", { mutability: "immutable", canonicalValues: ["User", "Group"] }),
        str("display", "The displayName of the member.", { mutability: "readOnly" }),
      ],
    }),
  ],
};

/** RFC 7643 §4.3: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User. */
export const enterpriseUserSchema: SchemaDefinition = {
  id: Urn.EnterpriseUser,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person."),
    str("costCenter", "Identifies the name of a cost center."),
    str("organization", "Identifies the name of an organization."),
    str("division", "Identifies the name of a division."),
    str("department", "Identifies the name of a department."),
    attribute("manager", "complex", {
      description: "The user's manager.",
      subAttributes: [
        str("value", "The id of the SCIM resource representing the user's manager."),
        attribute("$ref", "reference", { description: "The URI of the manager resource.", caseExact: true, referenceTypes: ["User"] }),
        str("displayName", "The displayName of the manager.", { mutability: "readOnly" }),
      ],
    }),
  ],
};
