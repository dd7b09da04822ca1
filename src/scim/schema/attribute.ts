/** RFC 7643 §2.3 data types. */
export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "binary" | "reference" | "complex";

/** RFC 7643 §7 mutability. */
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";

/** RFC 7643 §7 returned. */
export type Returned = "always" | "never" | "default" | "request";

/** RFC 7643 §7 uniqueness. */
export type Uniqueness = "none" | "server" | "global";

/** One attribute definition as published under /Schemas (RFC 7643 §7). */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

/** A schema resource (RFC 7643 §7). */
export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

/** A resource type (RFC 7643 §6). */
export interface ResourceTypeDefinition {
  readonly id: ResourceTypeName;
  readonly name: ResourceTypeName;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
}

/** The resource types Muster serves. */
export type ResourceTypeName = "User" | "Group";

type AttributeOptions = Partial<Omit<AttributeDefinition, "name" | "type">>;

/** Builds an attribute with RFC 7643 §2.2 defaults (single-valued, optional, readWrite, returned default, caseExact false). */
export function attribute(name: string, type: AttributeType, options: AttributeOptions = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description: "",
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}
