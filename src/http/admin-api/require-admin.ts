import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { AdminContext } from "../../admin/admin-context.js";
import { authenticateSession, type AuthenticatedAdmin } from "../../admin/admin-sessions.js";
import { digestsEqual, hashSecret } from "../../provisioning/tokens.js";
import { apiProblem } from "./api-problem.js";
import { clearSessionCookie, sessionSecretOf } from "./session-cookie.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in admin; set by the requireAdmin hook on every protected admin API route. */
    admin: AuthenticatedAdmin | null;
  }
}

const stateChanging = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The hook in front of every non-public admin API route: a valid, unexpired `muster_session` cookie
 * (401 `unauthenticated` otherwise; a stale cookie is cleared), and for POST, PUT, PATCH and DELETE an
 * `X-CSRF-Token` header equal to the session's token (403 `csrf`). Only the cookie counts: an
 * Authorization header, a SCIM bearer token included, is ignored.
 */
export function requireAdmin(context: AdminContext, publicUrl: () => string): onRequestAsyncHookHandler {
  return async function requireAdminHook(request: FastifyRequest, reply: FastifyReply) {
    const secret = sessionSecretOf(request);
    const signedIn = await authenticateSession(context, secret);
    if (!signedIn) {
      if (secret !== undefined) clearSessionCookie(reply, publicUrl());
      throw apiProblem("unauthenticated", secret === undefined ? "Sign in first: this request has no session." : "The session has ended; sign in again.");
    }
    // Known before the CSRF check, so that a refusal is logged and audited under the admin whose session it was.
    request.admin = signedIn;
    if (stateChanging.has(request.method) && !csrfTokenMatches(request.headers["x-csrf-token"], signedIn.session.csrfToken)) {
      throw apiProblem("csrf", "The X-CSRF-Token header is missing or wrong; send the csrfToken of GET /api/session.");
    }
  };
}

/**
 * Refuses state-changing requests whose Origin header (when a browser sends one) is neither the public
 * URL's origin nor the host the request was sent to: 403 `csrf`. Applies to the public routes too, so
 * another site cannot sign a browser in (login CSRF).
 */
export function checkOrigin(publicUrl: () => string): onRequestAsyncHookHandler {
  return async function checkOriginHook(request: FastifyRequest) {
    const origin = request.headers.origin;
    if (origin === undefined || !stateChanging.has(request.method)) return;
    if (!originAllowed(origin, publicUrl(), request.host)) {
      throw apiProblem("csrf", "The request comes from another site (its Origin is not this server); it was refused.");
    }
  };
}

/** The signed-in admin of a request inside the protected scope. */
export function adminOf(request: FastifyRequest): AuthenticatedAdmin {
  if (!request.admin) throw apiProblem("unauthenticated", "Sign in first: this request has no session.");
  return request.admin;
}

function originAllowed(origin: string, publicUrl: string, host: string): boolean {
  const given = parseUrl(origin);
  if (given === undefined || (given.protocol !== "http:" && given.protocol !== "https:")) return false;
  return given.origin === parseUrl(publicUrl)?.origin || given.host === host;
}

function parseUrl(text: string): URL | undefined {
  return URL.canParse(text) ? new URL(text) : undefined;
}

/** Compares digests, so the comparison takes the same time whatever the header's length or content. */
function csrfTokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string" || given === "") return false;
  return digestsEqual(hashSecret(given), hashSecret(expected));
}
