import { randomBytes } from "node:crypto";
import { hashSecret } from "../provisioning/tokens.js";
import type { AdminRecord, AdminSessionRecord, StoreSession } from "../store/store.js";
import type { AdminContext } from "./admin-context.js";
import { AdminError, adminError } from "./admin-error.js";
import { verifyAdminPassword } from "./admin-passwords.js";
import { adminActor, adminTarget, anonymousActor, recordFailure, recordSuccess, type AuditActor } from "./audit-trail.js";
import { attemptSucceeded, beginAttempt, throttleKeys } from "./login-throttle.js";

/** Session lifetime: idle expiry from the context, at most 7 days in all; use is recorded at most once a minute. */
export const sessionPolicy = { absoluteMs: 7 * 24 * 3_600_000, touchEveryMs: 60_000 } as const;

const secretBytes = 32; // 256 random bits
const secretPattern = /^[A-Za-z0-9_-]{43}$/;

/** A signed-in admin: the account and the session the request came with. */
export interface AuthenticatedAdmin {
  readonly account: AdminRecord;
  readonly session: AdminSessionRecord;
}

/** A session just opened; `secret` goes into the cookie and is never stored. */
export interface OpenedSession extends AuthenticatedAdmin {
  readonly secret: string;
}

/** Opens a session for an admin inside a write transaction: a 256-bit secret (stored as its SHA-256) and a CSRF token. */
export async function openSession(session: StoreSession, context: AdminContext, account: AdminRecord): Promise<OpenedSession> {
  const now = context.now();
  const secret = randomBytes(secretBytes).toString("base64url");
  const absoluteExpires = new Date(now.getTime() + sessionPolicy.absoluteMs);
  const record = await session.adminSessions.create({
    id: hashSecret(secret),
    adminId: account.id,
    csrfToken: randomBytes(secretBytes).toString("base64url"),
    created: now.toISOString(),
    lastSeen: now.toISOString(),
    expires: idleExpiry(context, now, absoluteExpires),
    absoluteExpires: absoluteExpires.toISOString(),
  });
  return { account, session: record, secret };
}

/** A sign-in attempt: the credentials typed and where the request came from. */
export interface SignInRequest {
  readonly email: string;
  readonly password: string;
  readonly address: string;
  readonly userAgent?: string | null;
}

/**
 * Signs in with email and password. Throttled per email and per client address (AdminError
 * `throttled`); an unknown email and a wrong password take the same path, one argon2 verification
 * included, and fail with the same AdminError `credentials`. Audited as `session.sign_in`: the audit
 * log (not the caller) learns whether the account exists, and names the email typed only when it does
 * (people type passwords into email fields).
 */
export async function signIn(context: AdminContext, request: SignInRequest): Promise<OpenedSession> {
  const { store } = context;
  const origin = { address: request.address, userAgent: request.userAgent ?? null };
  const email = request.email.trim();
  const failed = async (error: AdminError, reason: string, account: AdminRecord | undefined): Promise<never> => {
    await recordFailure(store, { actor: anonymousActor(origin), action: "session.sign_in", target: account ? adminTarget(account) : null }, reason, context.now(), error);
    throw error;
  };
  const keys = throttleKeys(request.email, request.address);
  let attempt: string;
  try {
    attempt = await store.write((s) => beginAttempt(s, keys, context.now()));
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    // One indexed lookup whether or not the account exists, so the answer's timing tells nothing.
    return failed(error, `throttled: ${error.message}`, await store.read((s) => s.admins.byEmail(email)));
  }
  const account = await store.read((s) => s.admins.byEmail(email));
  const matches = await verifyAdminPassword(account?.passwordHash, request.password);
  const refused = adminError("credentials", "The email or password is wrong.");
  if (!account) return failed(refused, "unknown account", undefined);
  if (!matches) return failed(refused, "wrong password", account);
  return store.write(async (s) => {
    const now = context.now();
    await attemptSucceeded(s, keys, attempt);
    await s.adminSessions.deleteExpired(now.toISOString());
    const opened = await openSession(s, context, account);
    await recordSuccess(s, { actor: adminActor(account, origin), action: "session.sign_in", target: adminTarget(account), details: { method: "password" } }, now);
    return opened;
  });
}

/**
 * The admin a session cookie's secret belongs to, or undefined when the secret is malformed, unknown,
 * idle too long or past the absolute limit. Use moves the idle expiry forward, written at most once a
 * minute per session so requests do not each take the write lock.
 */
export async function authenticateSession(context: AdminContext, secret: string | undefined): Promise<AuthenticatedAdmin | undefined> {
  if (secret === undefined || !secretPattern.test(secret)) return undefined;
  // The lookup is by digest: timing of the index search reveals nothing about a 256-bit secret.
  const id = hashSecret(secret);
  const found = await context.store.read(async (s) => {
    const session = await s.adminSessions.get(id);
    const account = session && (await s.admins.get(session.adminId));
    return session && account ? { session, account } : undefined;
  });
  if (!found) return undefined;
  const now = context.now();
  const { session, account } = found;
  if (now.getTime() >= Date.parse(session.expires) || now.getTime() >= Date.parse(session.absoluteExpires)) return undefined;
  if (now.getTime() - Date.parse(session.lastSeen) < sessionPolicy.touchEveryMs) return found;
  const expires = idleExpiry(context, now, new Date(session.absoluteExpires));
  const touched = await context.store.write((s) => s.adminSessions.touch(session.id, now.toISOString(), expires));
  return touched ? { account, session: { ...session, lastSeen: now.toISOString(), expires } } : undefined;
}

/** Ends a session (sign-out), audited as `session.sign_out`. */
export async function signOut(context: AdminContext, actor: AuditActor, sessionId: string): Promise<void> {
  await context.store.write(async (s) => {
    await s.adminSessions.delete(sessionId);
    await recordSuccess(s, { actor, action: "session.sign_out", target: actor.id === null ? null : { kind: "admin", id: actor.id, label: actor.label } }, context.now());
  });
}

function idleExpiry(context: AdminContext, now: Date, absoluteExpires: Date): string {
  const idle = now.getTime() + context.sessionIdleHours * 3_600_000;
  return new Date(Math.min(idle, absoluteExpires.getTime())).toISOString();
}
