/**
 * The parts of the OpenAPI 3.1 object model (https://spec.openapis.org/oas/v3.1.0) that Muster's
 * admin API document uses. Schemas are JSON Schema 2020-12 objects, typed loosely.
 */

/** A JSON Schema (OpenAPI 3.1 Schema Object). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A reference to a component. */
export type Reference = { readonly $ref: string };

/** A Parameter Object: in path, query or header. */
export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly description?: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

/** A Media Type Object (only JSON is served). */
export interface MediaType {
  readonly schema: JsonSchema;
}

/** A Request Body Object. */
export interface RequestBody {
  readonly description?: string;
  readonly required: boolean;
  readonly content: { readonly "application/json": MediaType };
}

/** A Response Object. */
export interface Response {
  readonly description: string;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: JsonSchema }>>;
  /** By media type: JSON for every answer but exports, which also come as text/csv. */
  readonly content?: Readonly<Record<string, MediaType>>;
}

/** An Operation Object. */
export interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly parameters?: readonly (Parameter | Reference)[];
  readonly requestBody?: RequestBody;
  readonly responses: Readonly<Record<string, Response | Reference>>;
  /** `[]` marks a public operation; absent means the document's default security applies. */
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}

/** HTTP methods an admin API path can have. */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** A Path Item Object. */
export type PathItem = Partial<Record<HttpMethod, Operation>> & { readonly parameters?: readonly (Parameter | Reference)[] };

/** The OpenAPI Object. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string }[];
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly security: readonly Readonly<Record<string, readonly string[]>>[];
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly parameters: Readonly<Record<string, Parameter>>;
    readonly responses: Readonly<Record<string, Response>>;
    readonly securitySchemes: Readonly<Record<string, { readonly type: "apiKey"; readonly in: "cookie" | "header"; readonly name: string; readonly description: string }>>;
  };
}
