import type { AuditAction, AuditEvent } from "../../../shared/admin-api.js";
import type { AuditEventRecord } from "../../store/store.js";

/** One audit event as the admin API shows it (shared/admin-api.ts AuditEvent). */
export function presentAuditEvent(record: AuditEventRecord): AuditEvent {
  return {
    id: record.id,
    occurredAt: record.occurredAt,
    actor: { kind: record.actorKind, id: record.actorId, label: record.actorLabel },
    address: record.address,
    userAgent: record.userAgent,
    action: record.action as AuditAction,
    target: record.targetKind === null ? null : { kind: record.targetKind, id: record.targetId, label: record.targetLabel },
    tenant: record.tenantSlug === null ? null : { id: record.tenantId, slug: record.tenantSlug },
    outcome: record.outcome,
    reason: record.reason,
    details: record.details,
  };
}
