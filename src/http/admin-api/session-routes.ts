import type { FastifyInstance, FastifyReply } from "fastify";
import type { SessionInfo, SetupLinkInfo } from "../../../shared/admin-api.js";
import { changeAdminPassword } from "../../admin/admin-accounts.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { signIn, signOut, type OpenedSession } from "../../admin/admin-sessions.js";
import { completeSetup, inspectSetupLink } from "../../admin/setup-links.js";
import { presentSession } from "./present-session.js";
import { actorOf, originOf } from "./request-actor.js";
import { jsonObjectBody, pathParameter, stringField } from "./request-input.js";
import { adminOf } from "./require-admin.js";
import { clearSessionCookie, setSessionCookie } from "./session-cookie.js";

/** What the session routes need. */
export interface SessionRouteOptions {
  readonly context: AdminContext;
  readonly publicUrl: () => string;
}

/** The public routes of shared/admin-api.ts "sessions and admins": sign-in and one-time setup links. */
export function registerPublicSessionRoutes(app: FastifyInstance, options: SessionRouteOptions): void {
  const { context } = options;

  app.post("/session", { config: { audit: "session.sign_in" } }, async (request, reply): Promise<SessionInfo> => {
    const body = jsonObjectBody(request);
    const opened = await signIn(context, { email: stringField(body, "email"), password: stringField(body, "password"), address: request.ip, userAgent: originOf(request).userAgent });
    return signedIn(reply, opened, options);
  });

  app.get("/setup/:token", async (request): Promise<SetupLinkInfo> => {
    const link = await inspectSetupLink(context, pathParameter(request, "token"));
    return { email: link.email, expiresAt: link.expires };
  });

  app.post("/setup/:token", { config: { audit: "admin.created" } }, async (request, reply): Promise<SessionInfo> => {
    const body = jsonObjectBody(request);
    const opened = await completeSetup(context, pathParameter(request, "token"), { email: body.email, password: body.password, ...originOf(request) });
    return signedIn(reply, opened, options);
  });
}

/** The routes of shared/admin-api.ts "sessions and admins" that need a signed-in admin (register them in the protected scope). */
export function registerSessionRoutes(app: FastifyInstance, options: SessionRouteOptions): void {
  const { context } = options;

  app.get("/session", async (request): Promise<SessionInfo> => presentSession(adminOf(request)));

  app.delete("/session", { config: { audit: "session.sign_out" } }, async (request, reply) => {
    await signOut(context, actorOf(request), adminOf(request).session.id);
    clearSessionCookie(reply, options.publicUrl());
    return reply.code(204).send();
  });

  app.put("/session/password", { config: { audit: "admin.password_changed" } }, async (request, reply) => {
    const body = jsonObjectBody(request);
    await changeAdminPassword(context, adminOf(request), { currentPassword: body.currentPassword, newPassword: body.newPassword, address: request.ip, userAgent: originOf(request).userAgent });
    return reply.code(204).send();
  });
}

function signedIn(reply: FastifyReply, opened: OpenedSession, options: SessionRouteOptions): SessionInfo {
  setSessionCookie(reply, opened.secret, options.publicUrl());
  return presentSession(opened);
}
