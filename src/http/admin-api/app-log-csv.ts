import type { AppLogEntry } from "../../../shared/admin-api.js";
import { csvField } from "./audit-csv.js";

/** The columns of a provisioning log CSV export, in order, and how each is read from an entry. */
const columns: readonly (readonly [name: string, value: (entry: AppLogEntry) => string | null])[] = [
  ["id", (entry) => entry.id],
  ["at", (entry) => entry.at],
  ["cycle", (entry) => entry.cycle],
  ["resourceType", (entry) => entry.resourceType],
  ["sourceId", (entry) => entry.sourceId],
  ["display", (entry) => entry.display],
  ["targetId", (entry) => entry.targetId],
  ["action", (entry) => entry.action],
  ["status", (entry) => entry.status],
  ["error", (entry) => entry.error],
  ["fix", (entry) => entry.fix],
  ["details", (entry) => JSON.stringify(entry.details)],
];

/** The header line of a provisioning log CSV export, CRLF-terminated. */
export function appLogCsvHeader(): string {
  return `${columns.map(([name]) => name).join(",")}\r\n`;
}

/** One entry as a CSV line (RFC 4180, formula-like cells defused as in the audit export), CRLF-terminated. */
export function appLogCsvLine(entry: AppLogEntry): string {
  return `${columns.map(([, value]) => csvField(value(entry))).join(",")}\r\n`;
}
