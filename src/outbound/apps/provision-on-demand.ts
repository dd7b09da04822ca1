import { adminError } from "../../admin/admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { newId } from "../../store/ids.js";
import type { AppLogRecord } from "../../store/outbound.js";
import type { Exchange } from "../client/request-record.js";
import { openAppRuntime } from "../engine/app-runtime.js";
import { MembershipSync, type MembershipResult } from "../engine/membership-sync.js";
import { ObjectSync, type ObjectPlan } from "../engine/object-sync.js";
import { SourceReader } from "../engine/source-reader.js";
import { attemptOnApp, factsOf, readTenantApp } from "./app-access.js";
import type { AppsContext } from "./apps-context.js";
import { previewPlan, type PlannedRequest } from "./preview-plan.js";

/** Which object to provision now. */
export interface ProvisionInput {
  readonly type: ResourceTypeName;
  readonly id: string;
  /** Decide and show what would be sent, send nothing and write nothing (but the audit event). */
  readonly dryRun?: boolean;
}

/** One step in words: the scope decision, matching, the action, each request, the memberships. */
export interface ProvisionStep {
  readonly step: "scope" | "match" | "action" | "request" | "members";
  readonly summary: string;
}

/** What provisioning one object did (or, in a dry run, would do). */
export interface ProvisionOutcome {
  readonly type: ResourceTypeName;
  readonly id: string;
  readonly dryRun: boolean;
  readonly plan: ObjectPlan["action"];
  readonly reason: string;
  readonly outcome: "success" | "failure" | "skipped" | "planned";
  readonly steps: readonly ProvisionStep[];
  /** Every HTTP exchange with the target, in order (each attempt), bodies clipped and without the token. */
  readonly exchanges: readonly Exchange[];
  readonly wouldSend: PlannedRequest | null;
  readonly log: AppLogRecord | null;
}

function membersStep(result: MembershipResult): ProvisionStep {
  if (result.appFailure) return { step: "members", summary: `Memberships not synced: ${result.appFailure.message}` };
  if (result.throttledMs !== undefined) return { step: "members", summary: `Memberships not synced: the target asked to wait ${Math.ceil(result.throttledMs / 1000)} s; the engine syncs them later.` };
  if (result.failed) return { step: "members", summary: "Syncing memberships failed; see the provisioning log (the engine retries)." };
  if (result.added === 0 && result.removed === 0) return { step: "members", summary: "Memberships already match: no request." };
  return { step: "members", summary: `Memberships synced: ${result.added} added, ${result.removed} removed.` };
}

/**
 * Provision on demand (audited as `app.provisioned`): decides what one user or group needs in the app's
 * target right now, as the engine would, and carries it out synchronously, then brings its memberships
 * in line (a user's groups, a group's members). Returns every step and HTTP exchange, and the log entry.
 * Works whether provisioning is on or off. With `dryRun`, plans and shows the request it would send.
 */
export async function provisionOnDemand(ctx: AppsContext, actor: AuditActor, slug: string, appId: string, input: ProvisionInput): Promise<ProvisionOutcome> {
  return auditFailures(ctx.store, attemptOnApp(actor, "app.provisioned", slug, appId), ctx.now, async () => {
    if (input.type !== "User" && input.type !== "Group") throw adminError("invalid", 'type must be "User" or "Group".', { field: "type" });
    if (typeof input.id !== "string" || input.id.trim() === "" || input.id.length > 255) throw adminError("invalid", "id must be the id of a user or group (1-255 characters).", { field: "id" });
    const found = await ctx.store.read((session) => readTenantApp(session, slug, appId));
    const { tenant, app } = found;
    const exchanges: Exchange[] = [];
    const runtime = openAppRuntime(app, ctx.keyring, ctx.clients, (exchange) => exchanges.push(exchange));
    if (!runtime.ok) throw adminError("invalid", runtime.error.reason, { field: runtime.error.code === "token" ? "token" : "settings" });
    try {
      const reader = new SourceReader(ctx.store, tenant.id);
      const cycle = `on-demand-${newId()}`;
      const work = { runtime: runtime.value, store: ctx.store, reader, cycle, now: ctx.now };
      const objects = new ObjectSync(work);
      const plan = await objects.plan(input.type, input.id);
      if (!plan.source && !plan.link) throw adminError("not_found", `Tenant "${slug}" has no ${input.type.toLowerCase()} "${input.id.slice(0, 80)}", and the app has never provisioned one with that id.`, { field: "id" });
      const base = { type: input.type, id: input.id, plan: plan.action, reason: plan.reason };
      let outcome: ProvisionOutcome;
      if (input.dryRun) {
        const preview = await previewPlan(runtime.value, ctx.store, plan);
        outcome = { ...base, dryRun: true, outcome: preview.problem ? "failure" : "planned", steps: preview.steps, exchanges: [], wouldSend: preview.request, log: null };
      } else {
        const result = await objects.apply(plan, { logSkips: true });
        const steps: ProvisionStep[] = [...result.steps];
        if (!result.appFailure && result.throttledMs === undefined && plan.action !== "skip") {
          const members = new MembershipSync(work);
          const synced = input.type === "Group" ? (plan.action === "write" ? await members.syncGroup(input.id, { readBack: false }) : undefined) : await members.syncMember(input.id);
          if (synced) steps.push(membersStep(synced));
        }
        const failed = result.counter === "failed";
        outcome = { ...base, dryRun: false, outcome: failed ? "failure" : result.counter === "skipped" ? "skipped" : "success", steps, exchanges, wouldSend: null, log: result.log ?? null };
      }
      const details = { type: input.type, id: input.id.slice(0, 80), dryRun: outcome.dryRun, plan: outcome.plan, outcome: outcome.outcome };
      await ctx.store.write((session) => recordSuccess(session, factsOf(actor, "app.provisioned", found, details), ctx.now()));
      return outcome;
    } finally {
      await runtime.value.client.close();
    }
  });
}
