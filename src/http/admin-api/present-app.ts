import type { App, AppLogEntry, ConnectionReport, ProvisionResult, StagedAction } from "../../../shared/admin-api.js";
import type { ConnectionReport as ProbeReport } from "../../outbound/client/test-connection.js";
import { maskedTokenHint } from "../../outbound/apps/app-token.js";
import type { ProvisionOutcome } from "../../outbound/apps/provision-on-demand.js";
import type { AppOverview } from "../../outbound/apps/read-apps.js";
import type { AppLogRecord, StagedActionRecord } from "../../store/outbound.js";

/** An app as the admin API shows it: settings and statistics, the token only as its hint (never its ciphertext). */
export function presentApp(overview: AppOverview): App {
  const { app, settings, status } = overview;
  return {
    id: app.id,
    name: app.name,
    baseUrl: app.baseUrl,
    provisioning: app.provisioning,
    tokenHint: maskedTokenHint(app.tokenHint),
    settings: settings as unknown as App["settings"],
    createdAt: app.created,
    updatedAt: app.updated,
    version: app.version,
    status,
  };
}

/** A Test Connection report with absent texts as null. */
export function presentConnectionReport(report: ProbeReport): ConnectionReport {
  return {
    ok: report.ok,
    probes: report.probes.map((probe) => ({ id: probe.id, ok: probe.ok, required: probe.required, warning: probe.warning ?? false, summary: probe.summary, detail: probe.detail ?? null, fix: probe.fix ?? null })),
  };
}

/** One provisioning log entry. */
export function presentAppLogEntry(entry: AppLogRecord): AppLogEntry {
  return {
    id: entry.id,
    at: entry.at,
    cycle: entry.cycle,
    resourceType: entry.resourceType,
    sourceId: entry.sourceId,
    display: typeof entry.details["display"] === "string" ? entry.details["display"] : null,
    targetId: entry.targetId,
    action: entry.action,
    status: entry.status,
    details: entry.details,
    error: entry.error,
    fix: entry.fix,
  };
}

/** One staged action. */
export function presentStagedAction(action: StagedActionRecord): StagedAction {
  return { id: action.id, resourceType: action.resourceType, sourceId: action.sourceId, action: action.action, reason: action.reason, createdAt: action.created };
}

/** What provisioning one object did, with each exchange's absent parts as null. */
export function presentProvisionResult(outcome: ProvisionOutcome): ProvisionResult {
  return {
    type: outcome.type,
    id: outcome.id,
    dryRun: outcome.dryRun,
    plan: outcome.plan,
    reason: outcome.reason,
    outcome: outcome.outcome,
    steps: outcome.steps.map((step) => ({ step: step.step, summary: step.summary })),
    exchanges: outcome.exchanges.map((exchange) => ({
      method: exchange.method,
      path: exchange.path,
      attempt: exchange.attempt,
      status: exchange.status ?? null,
      durationMs: Math.round(exchange.durationMs),
      requestBody: exchange.requestBody ?? null,
      responseText: exchange.responseText ?? null,
      error: exchange.error ?? null,
    })),
    wouldSend: outcome.wouldSend,
    log: outcome.log ? presentAppLogEntry(outcome.log) : null,
  };
}
