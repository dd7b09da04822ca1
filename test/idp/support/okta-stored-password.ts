import { sql } from "kysely";
import { verifyPassword } from "../../../src/provisioning/password.js";
import type { IdpHarness } from "./idp-server.js";

/**
 * Whether the password stored for a user is `password`. SCIM never returns passwords (RFC 7643 §4.1.1,
 * returned "never") and the store interface does not expose the hash, so the only way to see that
 * Okta's password push was accepted is to read the hash from the harness's database directly.
 */
export async function storedPasswordIs(harness: IdpHarness, userId: string, password: string): Promise<boolean> {
  const rows = await harness.server.raw(sql<{ password_hash: string | null }>`select password_hash from users where id = ${userId}`);
  const hash = rows[0]?.password_hash;
  if (!hash) return false;
  return verifyPassword(password, hash);
}
