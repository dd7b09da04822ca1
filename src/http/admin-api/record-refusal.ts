import type { FastifyRequest } from "fastify";
import type { AuditAction } from "../../../shared/admin-api.js";
import { AdminError } from "../../admin/admin-error.js";
import { failureReason, isAudited, recordFailure } from "../../admin/audit-trail.js";
import type { Store } from "../../store/store.js";
import { ApiProblem } from "./api-problem.js";
import { actorOf } from "./request-actor.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The audit action of a state-changing admin API route (every one has one; a test checks). The use
     * case records the action's outcome; refusals before it runs (CSRF, another site's Origin, a
     * malformed body) are recorded under this action by recordRefusal.
     */
    audit?: AuditAction;
  }
}

/** Fixed sentences for refusals whose messages may quote the request (a JSON parser's message quotes the body). */
const genericReasons: Partial<Record<ApiProblem["code"], string>> = {
  invalid: "The request was malformed.",
  internal: "internal error",
};

/**
 * Records a refused request of an audited route that its use case did not record (it never ran, or
 * failed unexpectedly), as a failure of the route's action by the request's actor. Requests without a
 * session (401 `unauthenticated`) are not recorded: nobody is known to have tried anything.
 */
export async function recordRefusal(store: Store, request: FastifyRequest, error: unknown, problem: ApiProblem, now: Date): Promise<void> {
  const action = request.routeOptions.config?.audit;
  if (action === undefined || isAudited(error) || problem.code === "unauthenticated") return;
  const slug = (request.params as Record<string, string | undefined> | undefined)?.slug;
  const reason = error instanceof ApiProblem ? error.message : error instanceof AdminError ? failureReason(error) : (genericReasons[problem.code] ?? problem.message);
  await recordFailure(store, { actor: actorOf(request), action, tenant: slug ? { id: null, slug: slug.toLowerCase() } : null }, reason, now, error);
}
