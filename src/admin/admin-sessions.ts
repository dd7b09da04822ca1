import { randomBytes } from "node:crypto";
import { hashSecret } from "../provisioning/tokens.js";
import type { AdminRecord, AdminSessionRecord, StoreSession } from "../store/store.js";
import type { AdminContext } from "./admin-context.js";
import { adminError } from "./admin-error.js";
import { verifyAdminPassword } from "./admin-passwords.js";
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

/**
 * Signs in with email and password. Throttled per email and per client address (AdminError
 * `throttled`); an unknown email and a wrong password take the same path, one argon2 verification
 * included, and fail with the same AdminError `credentials`.
 */
export async function signIn(context: AdminContext, request: { email: string; password: string; address: string }): Promise<OpenedSession> {
  const { store } = context;
  const keys = throttleKeys(request.email, request.address);
  const attempt = await store.write((s) => beginAttempt(s, keys, context.now()));
  const account = await store.read((s) => s.admins.byEmail(request.email.trim()));
  const matches = await verifyAdminPassword(account?.passwordHash, request.password);
  if (!account || !matches) throw adminError("credentials", "The email or password is wrong.");
  return store.write(async (s) => {
    await attemptSucceeded(s, keys, attempt);
    await s.adminSessions.deleteExpired(context.now().toISOString());
    return openSession(s, context, account);
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

/** Ends a session (sign-out). */
export async function signOut(context: AdminContext, sessionId: string): Promise<void> {
  await context.store.write((s) => s.adminSessions.delete(sessionId));
}

function idleExpiry(context: AdminContext, now: Date, absoluteExpires: Date): string {
  const idle = now.getTime() + context.sessionIdleHours * 3_600_000;
  return new Date(Math.min(idle, absoluteExpires.getTime())).toISOString();
}
