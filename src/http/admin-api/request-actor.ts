import type { FastifyRequest } from "fastify";
import { adminActor, anonymousActor, type AuditActor, type AuditOrigin } from "../../admin/audit-trail.js";

/** Where a request came from: the client address (Fastify's trustProxy applied, as for throttling) and its User-Agent. */
export function originOf(request: FastifyRequest): AuditOrigin {
  const userAgent = request.headers["user-agent"];
  return { address: request.ip, userAgent: typeof userAgent === "string" && userAgent !== "" ? userAgent : null };
}

/** Who makes a request, for the audit log: the signed-in admin, else an anonymous caller. */
export function actorOf(request: FastifyRequest): AuditActor {
  return request.admin ? adminActor(request.admin.account, originOf(request)) : anonymousActor(originOf(request));
}
