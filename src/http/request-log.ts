import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

/**
 * One JSON log line per request, written when the response is done: method, path (without the query,
 * which may hold personal data such as email addresses), status, duration, tenant, token id and, for
 * an error response, its catalogue code and detail.
 * Headers are never logged, so tokens and session cookies cannot reach the log; the secret in a setup
 * link's path is replaced by "[redacted]".
 */
export class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: "requestId" });
  }

  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      path: loggedPath(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      tenant: request.principal?.tenant.slug,
      tokenId: request.principal?.token.id,
      adminId: request.admin?.account.id,
      ...(request.failure ? { error: { code: request.failure.code, detail: request.failure.detail } } : {}),
    };
    if (error) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.info(line, "request completed");
  }
}

/** The path of a request as logged: no query, and no setup-link secret (/api/setup/… and the console's /admin/setup/…). */
export function loggedPath(url: string): string {
  return url.split("?")[0]!.replace(/^(\/+(?:api|admin)\/+setup\/+)[^/]+/i, "$1[redacted]");
}
