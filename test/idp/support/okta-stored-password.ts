import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { verifyPassword } from "../../../src/provisioning/password.js";
import type { IdpHarness } from "./idp-server.js";

/**
 * Whether the password stored for a user is `password`. SCIM never returns passwords (RFC 7643 §4.1.1,
 * returned "never") and the store interface does not expose the hash, so the only way to see that
 * Okta's password push was accepted is to read the hash from the harness's SQLite file.
 */
export async function storedPasswordIs(harness: IdpHarness, userId: string, password: string): Promise<boolean> {
  const database = new BetterSqlite3(join(harness.server.dir, "muster.db"), { readonly: true, fileMustExist: true });
  try {
    const row = database.prepare("SELECT password_hash FROM users WHERE id = ?").get(userId) as { password_hash: string | null } | undefined;
    if (!row?.password_hash) return false;
    return await verifyPassword(password, row.password_hash);
  } finally {
    database.close();
  }
}
