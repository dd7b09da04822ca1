import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { AppLogPage, Page, StagedAction, StagedDecision } from "../../../shared/admin-api.js";
import { adminError } from "../../admin/admin-error.js";
import { nextCursorOf, parsePageStart } from "../../admin/paging.js";
import { exportAppLog, listAppLog, parseAppLogFilter } from "../../outbound/apps/app-logs.js";
import { allowStagedActions, listStagedActions, rejectStagedActions } from "../../outbound/apps/staged-actions.js";
import type { AppLogRecord } from "../../store/outbound.js";
import { appLogCsvHeader, appLogCsvLine } from "./app-log-csv.js";
import { appIdOf, type AppRouteOptions } from "./apps-routes.js";
import { presentAppLogEntry, presentStagedAction } from "./present-app.js";
import { actorOf } from "./request-actor.js";
import { queryOf, valueOrThrow } from "./request-input.js";
import { slugOf } from "./tenants-routes.js";

const exportFormats = ["csv", "json"] as const;

/** An app's provisioning log (a page, newest first, filtered; or every entry as CSV or JSON) and its staged actions (list, allow, reject). */
export function registerAppLogRoutes(app: FastifyInstance, options: AppRouteOptions): void {
  const { store } = options;
  const { cursors, now } = options.provisioning;
  const storeOnly = { store, now };

  app.get("/tenants/:slug/apps/:id/logs", async (request): Promise<AppLogPage> => {
    const query = queryOf(request);
    const appId = appIdOf(request);
    const filter = valueOrThrow(parseAppLogFilter(query));
    const page = valueOrThrow(parsePageStart(query, cursors, JSON.stringify(["app-log", appId, filter])));
    const found = await listAppLog(store, slugOf(request), appId, filter, { count: page.count, ...(page.after ? { before: page.after.id } : {}) });
    return { items: found.records.map(presentAppLogEntry), nextCursor: nextCursorOf(cursors, page, found.next === undefined ? undefined : { sortValue: null, id: found.next }) };
  });

  app.get("/tenants/:slug/apps/:id/logs/export", async (request, reply) => {
    const query = queryOf(request);
    const format = exportFormats.find((candidate) => candidate === query["format"]);
    if (format === undefined) throw adminError("invalid", `format must be one of ${exportFormats.join(", ")}.`, { field: "format" });
    const filter = valueOrThrow(parseAppLogFilter(query));
    const entries = await exportAppLog(store, slugOf(request), appIdOf(request), filter);
    const stamp = now().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    return reply
      .header("Content-Disposition", `attachment; filename="muster-app-log-${stamp}.${format}"`)
      .header("X-Content-Type-Options", "nosniff")
      .type(format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8")
      .send(Readable.from(render(entries, format), { objectMode: false }));
  });

  app.get("/tenants/:slug/apps/:id/staged", async (request): Promise<Page<StagedAction>> => {
    const appId = appIdOf(request);
    const page = valueOrThrow(parsePageStart(queryOf(request), cursors, JSON.stringify(["app-staged", appId])));
    const found = await listStagedActions(store, slugOf(request), appId, { count: page.count, ...(page.after ? { after: page.after.id } : {}) });
    const last = found.records.length === page.count ? found.records.at(-1) : undefined;
    return { items: found.records.map(presentStagedAction), total: found.total, nextCursor: nextCursorOf(cursors, page, last ? { sortValue: null, id: last.id } : undefined) };
  });

  app.post("/tenants/:slug/apps/:id/staged/allow", { config: { audit: "app.staged_allowed" } }, async (request): Promise<StagedDecision> => {
    const decided = await allowStagedActions(storeOnly, actorOf(request), slugOf(request), appIdOf(request));
    options.apps?.wake?.();
    return { decided };
  });

  app.post("/tenants/:slug/apps/:id/staged/reject", { config: { audit: "app.staged_rejected" } }, async (request): Promise<StagedDecision> => {
    const decided = await rejectStagedActions(storeOnly, actorOf(request), slugOf(request), appIdOf(request));
    options.apps?.wake?.();
    return { decided };
  });
}

/** The export's text, a piece at a time as pages arrive: CSV lines, or one JSON array with an entry per line. */
async function* render(entries: AsyncIterable<AppLogRecord>, format: (typeof exportFormats)[number]): AsyncIterable<string> {
  if (format === "csv") {
    yield appLogCsvHeader();
    for await (const entry of entries) yield appLogCsvLine(presentAppLogEntry(entry));
    return;
  }
  let count = 0;
  yield "[";
  for await (const entry of entries) yield `${count++ === 0 ? "\n" : ",\n"}${JSON.stringify(presentAppLogEntry(entry))}`;
  yield count === 0 ? "]\n" : "\n]\n";
}
