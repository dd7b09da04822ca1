import { fail, ok, type Result } from "../result.js";
import type { AttributePath } from "../filter/ast.js";
import { Urn } from "../urns.js";
import type { AttributeDefinition, ResourceTypeDefinition, ResourceTypeName, SchemaDefinition } from "./attribute.js";
import { commonAttributes, enterpriseUserSchema, groupSchema, userSchema } from "./core-schemas.js";

/** An attribute path bound to its definitions: the top-level attribute and, when named, its sub-attribute. */
export interface ResolvedAttribute {
  /** URN of the schema that defines the attribute (the core URN for common attributes such as `id`). */
  readonly schema: string;
  /** True when the attribute belongs to an extension and lives under the extension's URN key in documents. */
  readonly extension: boolean;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
}

/** What a path names: one attribute, or a whole extension schema (`urn:…:enterprise:2.0:User`). */
export type ResolvedPath =
  | ({ readonly kind: "attribute" } & ResolvedAttribute)
  | { readonly kind: "schema"; readonly schema: SchemaDefinition; readonly extension: boolean };

/** The definition values are typed by: the sub-attribute when the path names one, else the attribute. */
export function leafOf(resolved: ResolvedAttribute): AttributeDefinition {
  return resolved.subAttribute ?? resolved.attribute;
}

/** Case-insensitive lookup of a sub-attribute (RFC 7643 §2.1: attribute names are case-insensitive). */
export function findSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return parent.subAttributes?.find((sub) => sub.name.toLowerCase() === wanted);
}

/** Dotted display form of a resolved attribute, e.g. `name.givenName` or `urn:…:User:manager.value`. */
export function describeAttribute(resolved: ResolvedAttribute): string {
  const base = resolved.extension ? `${resolved.schema}:${resolved.attribute.name}` : resolved.attribute.name;
  return resolved.subAttribute ? `${base}.${resolved.subAttribute.name}` : base;
}

/** The schemas of one resource type (core + extensions) with case-insensitive attribute resolution. */
export class ResourceSchema {
  readonly type: ResourceTypeDefinition;
  readonly core: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
  private readonly coreAttributes: ReadonlyMap<string, AttributeDefinition>;
  private readonly extensionAttributes: ReadonlyMap<string, ReadonlyMap<string, AttributeDefinition>>;

  constructor(type: ResourceTypeDefinition, core: SchemaDefinition, extensions: readonly SchemaDefinition[]) {
    this.type = type;
    this.core = core;
    this.extensions = extensions;
    this.coreAttributes = indexByName([...commonAttributes, ...core.attributes]);
    this.extensionAttributes = new Map(extensions.map((schema) => [schema.id.toLowerCase(), indexByName(schema.attributes)]));
  }

  get name(): ResourceTypeName {
    return this.type.name;
  }

  /** Top-level attributes of the core schema, including the common ones (id, externalId, meta). */
  get coreAttributeList(): readonly AttributeDefinition[] {
    return [...this.coreAttributes.values()];
  }

  /** The extension schema with this URN (case-insensitive), if this resource type has it. */
  extension(urn: string): SchemaDefinition | undefined {
    const wanted = urn.toLowerCase();
    return this.extensions.find((schema) => schema.id.toLowerCase() === wanted);
  }

  /** True when the URN is the core schema or one of this type's extensions. */
  knowsSchema(urn: string): boolean {
    return urn.toLowerCase() === this.core.id.toLowerCase() || this.extension(urn) !== undefined;
  }

  /** A top-level attribute of the core schema (common attributes included), case-insensitive. */
  coreAttribute(name: string): AttributeDefinition | undefined {
    return this.coreAttributes.get(name.toLowerCase());
  }

  /** A top-level attribute of an extension schema, case-insensitive on both URN and name. */
  extensionAttribute(urn: string, name: string): AttributeDefinition | undefined {
    return this.extensionAttributes.get(urn.toLowerCase())?.get(name.toLowerCase());
  }

  /**
   * The path with an unqualified name that the core schema lacks but exactly one extension defines
   * qualified by that extension's URN (RFC 7644 §3.10 lets clients omit it; Entra names the enterprise
   * `manager` bare, ENT-34). Core names always win, so nothing valid changes meaning.
   */
  qualifyUnique(path: AttributePath): AttributePath {
    if (path.uri !== undefined || this.coreAttribute(path.attribute)) return path;
    const owners = this.extensions.filter((extension) => this.extensionAttribute(extension.id, path.attribute) !== undefined);
    const [owner] = owners;
    return owners.length === 1 && owner ? { ...path, uri: owner.id } : path;
  }

  /**
   * Binds a parsed path to the schema. Unqualified names resolve in the core schema only (RFC 7644 §3.10:
   * extension attributes are addressed by their URN). The error is a sentence naming the problem.
   */
  resolve(path: AttributePath): Result<ResolvedPath, string> {
    let schemaUrn = this.core.id;
    let extension = false;
    let definition: AttributeDefinition | undefined;
    if (path.uri !== undefined) {
      if (path.uri.toLowerCase() === this.core.id.toLowerCase()) {
        definition = this.coreAttribute(path.attribute);
      } else {
        const ext = this.extension(path.uri);
        if (ext) {
          schemaUrn = ext.id;
          extension = true;
          definition = this.extensionAttribute(ext.id, path.attribute);
        } else {
          const whole = this.wholeSchema(`${path.uri}:${path.attribute}`);
          if (whole && path.subAttribute === undefined) return ok(whole);
          return fail(`unknown schema "${path.uri}" for ${this.name} resources`);
        }
      }
    } else {
      definition = this.coreAttribute(path.attribute);
    }
    if (!definition) {
      const where = extension ? `schema "${schemaUrn}"` : `${this.name} resources`;
      return fail(`unknown attribute "${path.attribute}" for ${where}`);
    }
    if (path.subAttribute === undefined) return ok({ kind: "attribute", schema: schemaUrn, extension, attribute: definition });
    if (definition.type !== "complex") {
      return fail(`attribute "${definition.name}" has no sub-attributes, so "${definition.name}.${path.subAttribute}" does not exist`);
    }
    const sub = findSubAttribute(definition, path.subAttribute);
    if (!sub) return fail(`unknown sub-attribute "${path.subAttribute}" of "${definition.name}"`);
    return ok({ kind: "attribute", schema: schemaUrn, extension, attribute: definition, subAttribute: sub });
  }

  private wholeSchema(urn: string): ResolvedPath | undefined {
    if (urn.toLowerCase() === this.core.id.toLowerCase()) return { kind: "schema", schema: this.core, extension: false };
    const ext = this.extension(urn);
    return ext ? { kind: "schema", schema: ext, extension: true } : undefined;
  }
}

function indexByName(attributes: readonly AttributeDefinition[]): ReadonlyMap<string, AttributeDefinition> {
  return new Map(attributes.map((definition) => [definition.name.toLowerCase(), definition]));
}

/** The registry of resource types and schemas served under /ResourceTypes and /Schemas. */
export class SchemaRegistry {
  readonly resourceTypes: readonly ResourceSchema[];

  constructor(resourceTypes: readonly ResourceSchema[]) {
    this.resourceTypes = resourceTypes;
  }

  /** The resource type with this name. */
  forType(name: ResourceTypeName): ResourceSchema {
    const found = this.resourceTypes.find((type) => type.name === name);
    if (!found) throw new Error(`resource type ${name} is not registered`);
    return found;
  }

  /** Every distinct schema (core and extension), in registration order. */
  get schemas(): readonly SchemaDefinition[] {
    const seen = new Map<string, SchemaDefinition>();
    for (const type of this.resourceTypes) for (const schema of [type.core, ...type.extensions]) seen.set(schema.id, schema);
    return [...seen.values()];
  }
}

/** Muster's resource types: User (with the enterprise extension) and Group. */
export const registry = new SchemaRegistry([
  new ResourceSchema(
    {
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: Urn.User,
      schemaExtensions: [{ schema: Urn.EnterpriseUser, required: false }],
    },
    userSchema,
    [enterpriseUserSchema],
  ),
  new ResourceSchema(
    { id: "Group", name: "Group", endpoint: "/Groups", description: "Group", schema: Urn.Group, schemaExtensions: [] },
    groupSchema,
    [],
  ),
]);
