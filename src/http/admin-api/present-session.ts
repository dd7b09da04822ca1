import type { Admin, SessionInfo } from "../../../shared/admin-api.js";
import type { AuthenticatedAdmin } from "../../admin/admin-sessions.js";
import type { AdminRecord } from "../../store/store.js";

/** An admin as the API shows it (shared/admin-api.ts Admin): never the password hash. */
export function presentAdmin(admin: AdminRecord): Admin {
  return { id: admin.id, email: admin.email, createdAt: admin.created, passwordChangedAt: admin.passwordChanged ?? null };
}

/** The signed-in admin, the session's CSRF token and its idle expiry (shared/admin-api.ts SessionInfo). */
export function presentSession(signedIn: AuthenticatedAdmin): SessionInfo {
  return { admin: presentAdmin(signedIn.account), csrfToken: signedIn.session.csrfToken, expiresAt: signedIn.session.expires };
}
