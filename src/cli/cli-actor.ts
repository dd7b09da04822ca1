import { userInfo } from "node:os";
import type { AuditActor } from "../admin/audit-trail.js";

/**
 * Who runs a command on the server, for the audit log: the OS user, and under sudo also the user who
 * ran sudo (SUDO_USER), since "root" alone says little. A command has no client address.
 */
export function cliActor(env: NodeJS.ProcessEnv = process.env): AuditActor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the environment is all there is.
    name = env.USER ?? env.LOGNAME ?? "unknown";
  }
  const sudoUser = env.SUDO_USER;
  return { kind: "cli", id: null, label: sudoUser && sudoUser !== name ? `${name} (sudo by ${sudoUser})` : name, address: null, userAgent: null };
}
