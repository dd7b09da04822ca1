import { randomUUID } from "node:crypto";
import { ScimError } from "../scim/errors.js";
import type { AdminRecord, Store, StoreSession } from "../store/store.js";
import type { AdminContext } from "./admin-context.js";
import { adminError } from "./admin-error.js";
import { hashAdminPassword, passwordProblem, verifyAdminPassword } from "./admin-passwords.js";
import type { AuthenticatedAdmin } from "./admin-sessions.js";
import { adminActor, adminTarget, auditFailures, recordFailure, recordSuccess, type AuditActor, type AuditFacts } from "./audit-trail.js";
import { attemptSucceeded, beginAttempt, throttleKeys } from "./login-throttle.js";

const maxEmailLength = 254;

/** The email trimmed, or AdminError `invalid` (field "email") when it does not look like an address. */
export function checkEmail(email: unknown): string {
  const trimmed = typeof email === "string" ? email.trim() : "";
  if (trimmed === "") throw adminError("invalid", "Enter an email address.", { field: "email" });
  if (trimmed.length > maxEmailLength || !/^[^\s@]+@[^\s@]+$/.test(trimmed)) {
    throw adminError("invalid", `"${trimmed.slice(0, 80)}" is not an email address.`, { field: "email" });
  }
  return trimmed;
}

/** The email when it is one, else null: what an audit event may name of an email given (a refused one may be a password typed into the wrong field). */
export function emailOrNull(email: unknown): string | null {
  try {
    return checkEmail(email);
  } catch {
    return null;
  }
}

/** Throws AdminError `invalid` on the given field when the password breaks the rules. */
export function checkNewPassword(password: unknown, email: string, field: string): string {
  if (typeof password !== "string") throw adminError("invalid", "Enter a password.", { field });
  const problem = passwordProblem(password, email);
  if (problem !== undefined) throw adminError("invalid", problem, { field });
  return password;
}

/**
 * Inserts an admin inside a write transaction; AdminError `conflict` (field "email") when the email is
 * taken, case-insensitively. The password must already be hashed: hashing never holds the write lock.
 */
export async function insertAdmin(session: StoreSession, email: string, passwordHash: string, now: Date): Promise<AdminRecord> {
  if (await session.admins.byEmail(email)) throw emailTaken(email);
  try {
    return await session.admins.create({ id: randomUUID(), email, passwordHash, created: now.toISOString() });
  } catch (error) {
    // Another process may have created the same email between the check and the insert.
    if (error instanceof ScimError && error.code === "uniqueness") throw emailTaken(email);
    throw error;
  }
}

/**
 * Creates an admin with a password (`muster admins create --password-stdin`), audited as
 * `admin.created`; rules as for every new password.
 */
export async function createAdmin(store: Store, actor: AuditActor, email: unknown, password: unknown, now: Date = new Date()): Promise<AdminRecord> {
  const attempt: AuditFacts = { actor, action: "admin.created", target: { kind: "admin", id: null, label: emailOrNull(email) }, details: { method: "password" } };
  return auditFailures(store, attempt, () => now, async () => {
    const address = checkEmail(email);
    const chosen = checkNewPassword(password, address, "password");
    const passwordHash = await hashAdminPassword(chosen);
    return store.write(async (session) => {
      const account = await insertAdmin(session, address, passwordHash, now);
      await recordSuccess(session, { actor, action: "admin.created", target: adminTarget(account), details: { method: "password" } }, now);
      return account;
    });
  });
}

/** Every admin, in creation order. */
export async function listAdmins(store: Store): Promise<AdminRecord[]> {
  return store.read((session) => session.admins.list());
}

/**
 * Changes the signed-in admin's password, audited as `admin.password_changed`: the current one must
 * match (throttled like sign-in, since it is a guess at a password too); the new one follows the rules.
 * Every other session of the admin ends; this one stays.
 */
export async function changeAdminPassword(
  context: AdminContext,
  signedIn: AuthenticatedAdmin,
  request: { currentPassword: unknown; newPassword: unknown; address: string; userAgent?: string | null },
): Promise<void> {
  const { store } = context;
  const { account, session } = signedIn;
  const facts: AuditFacts = { actor: adminActor(account, { address: request.address, userAgent: request.userAgent ?? null }), action: "admin.password_changed", target: adminTarget(account) };
  await auditFailures(store, facts, context.now, async () => {
    if (typeof request.currentPassword !== "string" || request.currentPassword === "") {
      throw adminError("invalid", "Enter your current password.", { field: "currentPassword" });
    }
    const chosen = checkNewPassword(request.newPassword, account.email, "newPassword");
    const keys = throttleKeys(account.email, request.address);
    const attempt = await store.write((s) => beginAttempt(s, keys, context.now()));
    const current = await store.read((s) => s.admins.get(account.id));
    if (!(await verifyAdminPassword(current?.passwordHash, request.currentPassword))) {
      const wrong = adminError("invalid", "The current password is wrong.", { field: "currentPassword" });
      await recordFailure(store, facts, "wrong current password", context.now(), wrong);
      throw wrong;
    }
    const passwordHash = await hashAdminPassword(chosen);
    await store.write(async (s) => {
      const now = context.now();
      await attemptSucceeded(s, keys, attempt);
      await s.admins.setPassword(account.id, passwordHash, now.toISOString());
      const otherSessionsEnded = await s.adminSessions.deleteForAdmin(account.id, session.id);
      await recordSuccess(s, { ...facts, details: { otherSessionsEnded } }, now);
    });
  });
}

function emailTaken(email: string) {
  return adminError("conflict", `An admin with email "${email}" already exists.`, { field: "email" });
}
