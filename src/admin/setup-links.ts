import { randomBytes } from "node:crypto";
import { hashSecret } from "../provisioning/tokens.js";
import { foldCase } from "../scim/fold.js";
import type { SetupLinkRecord, Store, StoreSession } from "../store/store.js";
import { checkEmail, checkNewPassword, emailOrNull, insertAdmin } from "./admin-accounts.js";
import type { AdminContext } from "./admin-context.js";
import { adminError } from "./admin-error.js";
import { hashAdminPassword } from "./admin-passwords.js";
import { openSession, type OpenedSession } from "./admin-sessions.js";
import { adminActor, adminTarget, anonymousActor, auditFailures, recordSuccess, type AuditActor, type AuditFacts } from "./audit-trail.js";

/** A setup link works once, for 24 hours. */
export const setupLinkLifetimeMs = 24 * 3_600_000;

const secretBytes = 32; // 256 random bits
const secretPattern = /^[A-Za-z0-9_-]{43}$/;

/** A link just created; `secret` is shown once (in its URL) and only its SHA-256 is stored. */
export interface IssuedSetupLink {
  readonly secret: string;
  readonly record: SetupLinkRecord;
}

/** The console page a setup link opens; that page calls GET/POST /api/setup/{secret}. */
export function setupLinkUrl(publicUrl: string, secret: string): string {
  return `${publicUrl}/admin/setup/${secret}`;
}

/**
 * Creates a one-time link for a new admin with this email (AdminError `conflict` when the email is an
 * admin already), or, with null, the first-admin link where whoever opens it chooses the email; that
 * link stops working as soon as any admin exists. Expired links are cleared on the way. Audited as
 * `admin.setup_link_created` with the email and expiry, never the link.
 */
export async function createSetupLink(store: Store, actor: AuditActor, email: string | null, now: Date = new Date()): Promise<IssuedSetupLink> {
  const attempt: AuditFacts = { actor, action: "admin.setup_link_created", target: { kind: "setup_link", id: null, label: email === null ? "first admin" : emailOrNull(email) } };
  return auditFailures(store, attempt, () => now, async () => {
    const address = email === null ? null : checkEmail(email);
    const secret = randomBytes(secretBytes).toString("base64url");
    const record = await store.write(async (session) => {
      if (address !== null && (await session.admins.byEmail(address))) {
        throw adminError("conflict", `An admin with email "${address}" already exists.`, { field: "email" });
      }
      await session.setupLinks.deleteExpired(now.toISOString());
      const link = await session.setupLinks.create({ id: hashSecret(secret), email: address, created: now.toISOString(), expires: new Date(now.getTime() + setupLinkLifetimeMs).toISOString() });
      const details = { email: link.email, firstAdmin: link.email === null, expiresAt: link.expires };
      await recordSuccess(session, { actor, action: "admin.setup_link_created", target: { kind: "setup_link", id: null, label: link.email ?? "first admin" }, details }, now);
      return link;
    });
    return { secret, record };
  });
}

/** The link a secret names while it can still be used; AdminError `setup_link_invalid` (410) otherwise. */
export async function inspectSetupLink(context: AdminContext, secret: string): Promise<SetupLinkRecord> {
  return context.store.read((session) => usableLink(session, secret, context.now()));
}

/** Completing a setup link: the email (first-admin link only), the password, and where the request came from. */
export interface SetupCompletion {
  readonly email?: unknown;
  readonly password: unknown;
  readonly address?: string | null;
  readonly userAgent?: string | null;
}

/**
 * Uses a setup link: creates the admin with the chosen password (and, on the first-admin link, the
 * chosen email), marks the link used and signs the new admin in, all in one transaction, audited as
 * `admin.created` and `session.sign_in` by the new admin. The password is hashed before the write lock
 * is taken. A refused attempt is audited as a failed `admin.created` by an anonymous actor.
 */
export async function completeSetup(context: AdminContext, secret: string, request: SetupCompletion): Promise<OpenedSession> {
  const origin = { address: request.address ?? null, userAgent: request.userAgent ?? null };
  let linkEmail: string | null = null;
  const attempt = (): AuditFacts => ({ actor: anonymousActor(origin), action: "admin.created", target: linkEmail === null ? null : { kind: "admin", id: null, label: linkEmail }, details: { method: "setup_link" } });
  return auditFailures(context.store, attempt, context.now, async () => {
    const link = await inspectSetupLink(context, secret);
    linkEmail = link.email;
    const email = chosenEmail(link, request.email);
    const password = checkNewPassword(request.password, email, "password");
    const passwordHash = await hashAdminPassword(password);
    return context.store.write(async (session) => {
      const now = context.now();
      // Checked again under the write lock: the link may have been used meanwhile, by another process too.
      await usableLink(session, secret, now);
      const account = await insertAdmin(session, email, passwordHash, now);
      if (!(await session.setupLinks.markUsed(link.id, account.id, now.toISOString()))) throw linkInvalid();
      const opened = await openSession(session, context, account);
      const actor = adminActor(account, origin);
      await recordSuccess(session, { actor, action: "admin.created", target: adminTarget(account), details: { method: "setup_link", firstAdmin: link.email === null } }, now);
      await recordSuccess(session, { actor, action: "session.sign_in", target: adminTarget(account), details: { method: "setup_link" } }, now);
      return opened;
    });
  });
}

async function usableLink(session: StoreSession, secret: string, now: Date): Promise<SetupLinkRecord> {
  if (!secretPattern.test(secret)) throw linkInvalid();
  const link = await session.setupLinks.get(hashSecret(secret));
  if (!link || link.used !== undefined || now.getTime() >= Date.parse(link.expires)) throw linkInvalid();
  if (link.email === null && (await session.admins.count()) > 0) throw linkInvalid();
  return link;
}

function chosenEmail(link: SetupLinkRecord, requested: unknown): string {
  if (link.email === null) return checkEmail(requested);
  if (requested !== undefined && requested !== null && requested !== "" && (typeof requested !== "string" || foldCase(requested.trim()) !== foldCase(link.email))) {
    throw adminError("invalid", `This link is for ${link.email}; its email cannot be changed.`, { field: "email" });
  }
  return link.email;
}

function linkInvalid() {
  return adminError("setup_link_invalid", "This setup link is not valid: it is unknown, was used already, or has expired. Ask an admin for a new one (muster admins create <email>).");
}
