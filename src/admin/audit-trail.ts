import type { AuditAction } from "../../shared/admin-api.js";
import { ScimError } from "../scim/errors.js";
import type { JsonObject, JsonValue } from "../scim/json.js";
import { newId } from "../store/ids.js";
import type { AdminRecord, AuditActorKind, AuditEventRecord, Store, StoreSession, TenantRecord } from "../store/store.js";
import { AdminError } from "./admin-error.js";

/*
 * Every administrative action leaves an audit event: a success is written inside the transaction that
 * performed the action (so neither exists without the other), a failure in a transaction of its own.
 * Use cases call recordSuccess inside their write and wrap their work in auditFailures; transports only
 * say who the actor is. Nothing secret is ever passed in: events carry names, ids and masked forms.
 */

/** Longest user agent kept, in UTF-16 code units (browsers send ~150; longer is noise or abuse). */
const maxUserAgent = 256;
/** Longest label, reason or detail string kept. */
const maxText = 500;
/** Largest details object kept, as JSON text. */
const maxDetailsLength = 4096;

/** Where a request came from: the client address (trustProxy applied) and its User-Agent. */
export interface AuditOrigin {
  readonly address: string | null;
  readonly userAgent: string | null;
}

/** Who performs an admin action, and from where. */
export interface AuditActor extends AuditOrigin {
  readonly kind: AuditActorKind;
  /** The admin's (or API key's) id; null for the CLI, the system and anonymous callers. */
  readonly id: string | null;
  /** The admin's email at the time; the OS user for the CLI; what the server was doing for the system. */
  readonly label: string | null;
}

/** What an action was done to. */
export interface AuditTarget {
  readonly kind: "admin" | "tenant" | "scim_token" | "setup_link" | "app";
  readonly id: string | null;
  readonly label: string | null;
}

/** What an audit event says about an action, apart from when it happened and how it ended. */
export interface AuditFacts {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly target?: AuditTarget | null;
  /** The tenant concerned; `id` null when no such tenant exists (a failed attempt). */
  readonly tenant?: { readonly id: string | null; readonly slug: string } | null;
  /** Non-secret facts (names, counts, masked tokens). */
  readonly details?: JsonObject;
}

/** A signed-in admin acting from a request. */
export function adminActor(account: Pick<AdminRecord, "id" | "email">, origin: AuditOrigin): AuditActor {
  return { kind: "admin", id: account.id, label: account.email, ...origin };
}

/** Someone not signed in (a sign-in or setup-link attempt). */
export function anonymousActor(origin: AuditOrigin): AuditActor {
  return { kind: "anonymous", id: null, label: null, ...origin };
}

/** The server acting on its own, e.g. `systemActor("audit retention")`. */
export function systemActor(task: string): AuditActor {
  return { kind: "system", id: null, label: task, address: null, userAgent: null };
}

/** A tenant as an event's target. */
export function tenantTarget(tenant: Pick<TenantRecord, "id" | "slug">): AuditTarget {
  return { kind: "tenant", id: tenant.id, label: tenant.slug };
}

/** A tenant as an event's tenant. */
export function tenantOfEvent(tenant: Pick<TenantRecord, "id" | "slug">): { id: string; slug: string } {
  return { id: tenant.id, slug: tenant.slug };
}

/** An admin account as an event's target. */
export function adminTarget(account: Pick<AdminRecord, "id" | "email">): AuditTarget {
  return { kind: "admin", id: account.id, label: account.email };
}

/** Writes the event of a successful action inside the transaction that performed it. */
export async function recordSuccess(session: StoreSession, facts: AuditFacts, now: Date): Promise<void> {
  await session.audit.append(eventOf(facts, "success", null, now));
}

const recorded = new WeakSet<object>();

/** True when a failure has been written to the audit log already (transports then leave it alone). */
export function isAudited(error: unknown): boolean {
  return typeof error === "object" && error !== null && recorded.has(error);
}

/**
 * Writes the event of a failed attempt in a transaction of its own and marks `error` (the failure) as
 * recorded. When the event cannot be written, that error is thrown instead: an attempt that cannot be
 * recorded fails closed.
 */
export async function recordFailure(store: Store, facts: AuditFacts, reason: string, now: Date, error?: unknown): Promise<void> {
  try {
    await store.write((session) => session.audit.append(eventOf(facts, "failure", reason, now)));
  } catch (writeError) {
    markAudited(writeError);
    throw writeError;
  }
  markAudited(error);
}

/**
 * Runs an action's work, which records its success itself (recordSuccess inside its write). When the
 * work throws an error that is not recorded yet, the failure is recorded with `facts` (evaluated then,
 * so they can name what the work found out) and the error's reason, and the error is thrown on.
 */
export async function auditFailures<T>(store: Store, facts: AuditFacts | (() => AuditFacts), now: () => Date, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isAudited(error)) await recordFailure(store, typeof facts === "function" ? facts() : facts, failureReason(error), now(), error);
    throw error;
  }
}

/**
 * Why an action failed, in words for the audit log. Messages of the use cases' refusals are written for
 * admins and name only what the caller gave; an email that failed validation is not repeated (people
 * type passwords into email fields). Anything unexpected is "internal error" with no internals.
 */
export function failureReason(error: unknown): string {
  if (error instanceof AdminError) {
    if (error.code === "invalid" && error.field === "email") return "The email address is missing or malformed.";
    return error.message;
  }
  if (error instanceof ScimError) return error.detail;
  return "internal error";
}

function markAudited(error: unknown): void {
  if (typeof error === "object" && error !== null) recorded.add(error);
}

function eventOf(facts: AuditFacts, outcome: "success" | "failure", reason: string | null, now: Date): AuditEventRecord {
  const { actor, target, tenant } = facts;
  return {
    id: newId(now.getTime()),
    occurredAt: now.toISOString(),
    actorKind: actor.kind,
    actorId: clip(actor.id),
    actorLabel: clip(actor.label),
    address: clip(actor.address),
    userAgent: clip(actor.userAgent, maxUserAgent),
    action: facts.action,
    targetKind: target?.kind ?? null,
    targetId: clip(target?.id ?? null),
    targetLabel: clip(target?.label ?? null),
    tenantId: clip(tenant?.id ?? null),
    tenantSlug: clip(tenant?.slug ?? null),
    outcome,
    reason: clip(reason),
    details: boundedDetails(facts.details ?? {}),
  };
}

function clip(text: string | null, max = maxText): string | null {
  if (text === null) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function clipValue(value: JsonValue): JsonValue {
  if (typeof value === "string") return clip(value)!;
  if (Array.isArray(value)) return value.map(clipValue);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clipValue(inner)]));
  return value;
}

/** Details with long strings clipped; an object still too large is replaced by a note saying so. */
function boundedDetails(details: JsonObject): JsonObject {
  const clipped = clipValue(details) as JsonObject;
  return JSON.stringify(clipped).length <= maxDetailsLength ? clipped : { truncated: true };
}
