import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { presentError, ScimError, scimError, type ErrorCode } from "../scim/errors.js";
import { asScim } from "./media-types.js";

/** Maps Fastify's own error codes to catalogue codes. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payloadTooLarge",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupportedMediaType",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalidSyntax",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalidSyntax",
  FST_ERR_CTP_INVALID_JSON_BODY: "invalidSyntax",
  FST_ERR_VALIDATION: "invalidSyntax",
};

/** Turns any thrown value into a ScimError; unknown errors become a 500 that reveals nothing. */
export function toScimError(error: unknown, requestId: string): ScimError {
  if (error instanceof ScimError) return error;
  const fastifyError = error as Partial<FastifyError>;
  const code = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (code === "payloadTooLarge") return scimError(code, "The request body is larger than this endpoint accepts.");
  if (code) return scimError(code, fastifyError.message ?? "The request is malformed.");
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode === 400) {
    return scimError("invalidSyntax", fastifyError.message ?? "The request is malformed.");
  }
  return scimError("internal", `An internal error occurred (request id ${requestId}). The server log has the details.`);
}

/** The one error handler: every 4xx/5xx is an RFC 7644 §3.12 Error resource in application/scim+json. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const scim = toScimError(error, request.id);
    // The cause of a 5xx is logged with its stack here; the client only sees the request id.
    if (scim.status >= 500) request.log.error({ err: error }, "request failed");
    request.failure = scim;
    sendError(reply, scim);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply) => {
    request.failure = scimError("notFound", `There is no endpoint at ${request.method} ${request.url.split("?")[0]}.`);
    sendError(reply, request.failure);
  });
}

/** Sends a ScimError with its status, headers and body. */
export function sendError(reply: FastifyReply, error: ScimError): FastifyReply {
  return asScim(reply.code(error.status).headers(error.headers)).send(presentError(error));
}
