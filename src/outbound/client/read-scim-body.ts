import type { Answer } from "./classify-answer.js";
import { recommendedFix } from "./recommended-fix.js";
import { TargetError } from "./target-error.js";
import { targetText } from "./target-text.js";

/** A SCIM resource as a target returned it: any JSON object with a string `id`. */
export type ScimResource = Readonly<Record<string, unknown>> & { readonly id: string };

/** A ListResponse (RFC 7644 §3.4.2): the total and the resources of this page. */
export interface ListAnswer {
  readonly totalResults: number;
  readonly resources: readonly ScimResource[];
}

/** Where a body came from, for the errors. */
export interface BodyContext {
  readonly method: string;
  readonly path: string;
  readonly secrets: readonly string[];
}

/** The 2xx body as a JSON object; anything else (HTML, a login page, an array) fails as `invalidResponse`. */
export function readJsonObject(answer: Answer, context: BodyContext): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    const start = targetText(answer.text.replace(/<[^>]*>/g, " "), context.secrets, 120);
    throw invalid(context, answer.status, answer.text === "" ? "answered with an empty body where SCIM JSON was expected" : "answered with a body that is not JSON", start === "" ? undefined : start);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid(context, answer.status, "answered with JSON that is not a SCIM object");
  return parsed as Record<string, unknown>;
}

/** The 2xx body as one resource with a non-empty string `id` (RFC 7643 §3.1). */
export function readResource(answer: Answer, context: BodyContext): ScimResource {
  const body = readJsonObject(answer, context);
  if (typeof body.id !== "string" || body.id === "") throw invalid(context, answer.status, "answered with a resource that has no id");
  return body as ScimResource;
}

/** The 2xx body as a resource, or undefined for an empty body (204, or a 200 without content). */
export function readOptionalResource(answer: Answer, context: BodyContext): ScimResource | undefined {
  return answer.text.trim() === "" ? undefined : readResource(answer, context);
}

/** The 2xx body as a ListResponse: `totalResults` a number, `Resources` (required when non-zero) an array of resources with ids. */
export function readListResponse(answer: Answer, context: BodyContext): ListAnswer {
  const body = readJsonObject(answer, context);
  const { totalResults, Resources: resources } = body;
  if (typeof totalResults !== "number" || !Number.isInteger(totalResults) || totalResults < 0) {
    throw invalid(context, answer.status, "answered without the totalResults of a SCIM ListResponse");
  }
  if (resources === undefined) {
    if (totalResults === 0) return { totalResults, resources: [] };
    throw invalid(context, answer.status, "answered a ListResponse without Resources although totalResults is not 0");
  }
  if (!Array.isArray(resources)) throw invalid(context, answer.status, "answered a ListResponse whose Resources is not a list");
  for (const resource of resources) {
    if (typeof resource !== "object" || resource === null || typeof (resource as { id?: unknown }).id !== "string") {
      throw invalid(context, answer.status, "answered a ListResponse with a resource that has no id");
    }
  }
  return { totalResults, resources: resources as ScimResource[] };
}

/** A TargetError for a 2xx answer that is not the SCIM answer expected. */
export function invalid(context: BodyContext, status: number, summary: string, detail?: string, code?: string): TargetError {
  return new TargetError({
    kind: "invalidResponse",
    method: context.method,
    path: context.path,
    status,
    summary,
    detail,
    code,
    maybeSent: true,
    fix: recommendedFix({ kind: "invalidResponse", code }),
  });
}
