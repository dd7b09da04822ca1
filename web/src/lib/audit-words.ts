import { auditActions, type AuditEvent } from "../../../shared/admin-api";

/** An action in words ("Create tenant"); an action this console does not know yet, as its name. */
export function actionWords(action: string): string {
  return Object.hasOwn(auditActions, action) ? auditActions[action as keyof typeof auditActions] : action;
}

/** Who acted, in words: the admin's email, "alice (command line)", "Muster (audit retention)", "Not signed in". */
export function actorWords(actor: AuditEvent["actor"]): string {
  switch (actor.kind) {
    case "admin":
      return actor.label ?? actor.id ?? "Unknown admin";
    case "api_key":
      return actor.label ? `API key ${actor.label}` : "API key";
    case "cli":
      return `${actor.label ?? "Unknown user"} (command line)`;
    case "system":
      return actor.label ? `Muster (${actor.label})` : "Muster";
    case "anonymous":
      return "Not signed in";
  }
}

const targetKinds: Readonly<Record<string, string>> = { tenant: "Tenant", scim_token: "Token", admin: "Admin", setup_link: "Setup link for" };

/** What an action was done to, in words ("Token Azure AD SCIM", "Admin al@example.com"); null when nothing in particular. */
export function targetWords(target: AuditEvent["target"]): string | null {
  if (target === null) return null;
  const kind = targetKinds[target.kind] ?? target.kind;
  const name = target.label === null || target.label === "" ? target.id : target.label;
  return name === null ? kind : `${kind} ${name}`;
}

/** The ISO time a date input's day starts at, in the browser's time zone ("" when no date is given). */
export function dayStart(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return "";
  const start = new Date(`${date}T00:00:00`);
  return Number.isNaN(start.getTime()) ? "" : start.toISOString();
}

/** The ISO time the day after a date input's day starts at (the end of a range that includes that day). */
export function dayAfter(date: string): string {
  const start = dayStart(date);
  if (start === "") return "";
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}
