import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from "fastify";
import { scimError } from "../scim/errors.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const allMethods: readonly Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Registers the handlers of one URL and answers every other method with 405 and an Allow header, after
 * authentication and without reading the body (RFC-12; Okta's optional tests POST to discovery endpoints
 * and expect 405). `bodyLimits` raise or lower the server's body limit for single methods.
 */
export function routeMethods(app: FastifyInstance, url: string, handlers: Partial<Record<Method, RouteHandlerMethod>>, bodyLimits: Partial<Record<Method, number>> = {}): void {
  const allowed = allMethods.filter((method) => handlers[method]);
  for (const method of allowed) {
    const bodyLimit = bodyLimits[method];
    app.route({ method, url, handler: handlers[method]!, ...(bodyLimit === undefined ? {} : { bodyLimit }) });
  }
  const rest = allMethods.filter((method) => !handlers[method]);
  if (rest.length === 0) return;
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ");
  const refuse = async (request: FastifyRequest) => {
    throw scimError("methodNotAllowed", `${request.method} is not supported on this endpoint; use ${allow}.`, { Allow: allow });
  };
  // Refused before the body is read: Okta's read-only checks POST the text "test" as SCIM JSON and expect 405, not 400.
  app.route({ method: rest, url, onRequest: refuse, handler: refuse });
}
