import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { AuditEvent, AuditExportFormat, Page } from "../../../shared/admin-api.js";
import { adminError } from "../../admin/admin-error.js";
import { auditExportFormats, exportAuditEvents, listAuditEvents, parseAuditFilter, parseAuditQuery } from "../../admin/audit-log.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import type { AuditEventRecord } from "../../store/store.js";
import { auditCsvHeader, auditCsvLine } from "./audit-csv.js";
import { presentAuditEvent } from "./present-audit.js";
import { actorOf } from "./request-actor.js";
import { queryOf, valueOrThrow } from "./request-input.js";

/** GET /api/audit (a page, newest first, filtered) and GET /api/audit/export (every matching event as CSV or JSON, streamed). */
export function registerAuditRoutes(app: FastifyInstance, options: { readonly provisioning: ProvisioningContext }): void {
  const ctx = options.provisioning;

  app.get("/audit", async (request): Promise<Page<AuditEvent>> => {
    const page = await listAuditEvents(ctx, valueOrThrow(parseAuditQuery(ctx, queryOf(request))));
    return { items: page.records.map(presentAuditEvent), total: page.total, nextCursor: page.nextCursor };
  });

  app.get("/audit/export", { config: { audit: "audit.exported" } }, async (request, reply) => {
    const query = queryOf(request);
    const format = auditExportFormats.find((candidate) => candidate === query.format);
    if (format === undefined) throw adminError("invalid", `format must be one of ${auditExportFormats.join(", ")}.`, { field: "format" });
    const filter = valueOrThrow(parseAuditFilter(query));
    const now = ctx.now();
    const events = await exportAuditEvents(ctx.store, actorOf(request), format, filter, now);
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    return reply
      .header("Content-Disposition", `attachment; filename="muster-audit-${stamp}.${format}"`)
      .header("X-Content-Type-Options", "nosniff")
      .type(format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8")
      .send(Readable.from(render(events, format), { objectMode: false }));
  });
}

/** The export's text, a piece at a time as pages arrive: CSV lines, or one JSON array with an event per line. */
async function* render(events: AsyncIterable<AuditEventRecord>, format: AuditExportFormat): AsyncIterable<string> {
  if (format === "csv") {
    yield auditCsvHeader();
    for await (const event of events) yield auditCsvLine(presentAuditEvent(event));
    return;
  }
  let count = 0;
  yield "[";
  for await (const event of events) yield `${count++ === 0 ? "\n" : ",\n"}${JSON.stringify(presentAuditEvent(event))}`;
  yield count === 0 ? "]\n" : "\n]\n";
}
