import type { FastifyReply, FastifyRequest } from "fastify";

/** The console's session cookie: the session secret, httpOnly, SameSite=Strict, Path=/, Secure behind https. */
export const sessionCookieName = "muster_session";

/** The session secret the request carries, if any. */
export function sessionSecretOf(request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName];
}

/**
 * Sets the session cookie. It is a browser-session cookie (no Expires): the server decides when a
 * session ends, and closing the browser ends it on the client too.
 */
export function setSessionCookie(reply: FastifyReply, secret: string, publicUrl: string): void {
  reply.setCookie(sessionCookieName, secret, cookieAttributes(publicUrl));
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(reply: FastifyReply, publicUrl: string): void {
  reply.clearCookie(sessionCookieName, cookieAttributes(publicUrl));
}

function cookieAttributes(publicUrl: string) {
  return { httpOnly: true, sameSite: "strict", path: "/", secure: publicUrl.startsWith("https:") } as const;
}
