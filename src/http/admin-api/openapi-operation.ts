import { ref } from "./openapi-schemas.js";
import type { JsonSchema, Operation, Reference, Response } from "./openapi-types.js";

/** One operation of the admin API document, in the short form the path tables use. */
export interface OperationSpec {
  readonly id: string;
  readonly summary: string;
  readonly tag: string;
  readonly description?: string;
  readonly parameters?: readonly string[];
  /** Component schema of the JSON body. */
  readonly body?: string;
  /** Status → description and component schema (none for bodiless answers). */
  readonly ok: Readonly<Record<string, readonly [description: string, schema?: string | JsonSchema]>>;
  /** Error responses beyond the ones implied (401 for protected, 403 csrf for state changes). */
  readonly errors?: readonly ("Invalid" | "NotFound" | "Conflict" | "Throttled")[];
  /** Reachable without a session. */
  readonly public?: boolean;
}

const stateChanging = new Set(["post", "put", "patch", "delete"]);
const errorStatus = { Invalid: "400", Unauthenticated: "401", Csrf: "403", NotFound: "404", Conflict: "409", Throttled: "429" } as const;

/** The OpenAPI Operation of a spec: its answers, the implied 401 (protected) and 403 csrf (state changes), and its security. */
export function operation(method: string, spec: OperationSpec): Operation {
  const changes = stateChanging.has(method);
  const answers: Record<string, Response | Reference> = {};
  for (const [status, [description, schema]] of Object.entries(spec.ok)) {
    answers[status] = schema === undefined ? { description } : { description, content: { "application/json": { schema: typeof schema === "string" ? ref("schemas", schema) : schema } } };
  }
  const errors = [...(spec.errors ?? []), ...(spec.public ? [] : (["Unauthenticated"] as const)), ...(changes ? (["Csrf"] as const) : [])];
  for (const name of errors) answers[errorStatus[name]] = ref("responses", name);
  const security = spec.public ? [] : changes ? [{ session: [], csrf: [] }] : undefined;
  return {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.parameters ? { parameters: spec.parameters.map((name) => ref("parameters", name)) } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: ref("schemas", spec.body) } } } } : {}),
    responses: answers,
    ...(security ? { security } : {}),
  };
}

