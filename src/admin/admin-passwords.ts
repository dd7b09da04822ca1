import { hash, verify } from "@node-rs/argon2";
import { passwordRules } from "../../shared/admin-api.js";
import { foldCase } from "../scim/fold.js";

/**
 * argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): tens of milliseconds per guess
 * on a server core, and memory-hard against GPUs. The parameters travel inside each PHC string, so
 * raising them later leaves existing hashes verifiable. (@node-rs/argon2 defaults to argon2id.)
 */
export const adminPasswordHashOptions = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/**
 * A hash of a random password nobody knows, made with `adminPasswordHashOptions`: sign-ins with an
 * unknown email verify against it, so they cost the same as a wrong password (no account enumeration).
 */
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$XfYHy/K1QEwctx17loYvmA$70cdud16CYClRgwsEd+7gyHTXYYD7KmCbbj0u7CQaKA";

/** Hashes an admin password with argon2id (PHC string); runs on libuv's thread pool, off the event loop. */
export async function hashAdminPassword(password: string): Promise<string> {
  return hash(password.normalize("NFC"), adminPasswordHashOptions);
}

/**
 * Checks a password against a stored argon2 hash; with no stored hash (unknown email) it still runs
 * one verification, against a dummy hash, and answers false. A malformed stored hash is a mismatch.
 */
export async function verifyAdminPassword(stored: string | undefined, password: string): Promise<boolean> {
  try {
    const matches = await verify(stored ?? dummyHash, password.normalize("NFC"));
    return stored !== undefined && matches;
  } catch {
    return false;
  }
}

/** Why a new password is refused (shared/admin-api.ts passwordRules, and never the email itself), or undefined. */
export function passwordProblem(password: string, email: string | undefined): string | undefined {
  const length = [...password.normalize("NFC")].length;
  if (length < passwordRules.minLength) return `The password must be at least ${passwordRules.minLength} characters long.`;
  if (length > passwordRules.maxLength) return `The password must be at most ${passwordRules.maxLength} characters long.`;
  if (email !== undefined && foldCase(password.trim()) === foldCase(email.trim())) return "The password must not be the email address.";
  return undefined;
}
