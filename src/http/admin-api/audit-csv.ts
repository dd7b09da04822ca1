import type { AuditEvent } from "../../../shared/admin-api.js";

/** The columns of an audit CSV export, in order, and how each is read from an event. */
const columns: readonly (readonly [name: string, value: (event: AuditEvent) => string | null])[] = [
  ["id", (event) => event.id],
  ["occurredAt", (event) => event.occurredAt],
  ["actorKind", (event) => event.actor.kind],
  ["actorId", (event) => event.actor.id],
  ["actorLabel", (event) => event.actor.label],
  ["address", (event) => event.address],
  ["userAgent", (event) => event.userAgent],
  ["action", (event) => event.action],
  ["targetKind", (event) => event.target?.kind ?? null],
  ["targetId", (event) => event.target?.id ?? null],
  ["targetLabel", (event) => event.target?.label ?? null],
  ["tenantId", (event) => event.tenant?.id ?? null],
  ["tenantSlug", (event) => event.tenant?.slug ?? null],
  ["outcome", (event) => event.outcome],
  ["reason", (event) => event.reason],
  ["details", (event) => JSON.stringify(event.details)],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A value
 * a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return; OWASP's CSV
 * injection advice) gets a leading apostrophe, which spreadsheets show as text. Null is an empty field.
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

/** The header line of an audit CSV export, CRLF-terminated. */
export function auditCsvHeader(): string {
  return `${columns.map(([name]) => name).join(",")}\r\n`;
}

/** One event as a CSV line, CRLF-terminated. */
export function auditCsvLine(event: AuditEvent): string {
  return `${columns.map(([, value]) => csvField(value(event))).join(",")}\r\n`;
}
