import type { JsonObject } from "../scim/json.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";

/**
 * The storage contract of outbound provisioning (migration 0011, docs/outbound.md): apps, the links
 * between source objects and target objects, the memberships written to targets, the provisioning log
 * and staged actions. Every method is scoped to one tenant, or to one app (app ids are unique).
 */

/** Whether an admin has switched an app's provisioning on. */
export type AppProvisioning = "on" | "off";

/** One outbound app as stored. `settings` is validated by src/outbound/settings; `state` belongs to the engine. */
export interface AppRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  /** The target's bearer token, encrypted (src/secrets); never the token itself. */
  readonly tokenCiphertext: string;
  /** The token's last characters, for recognising it. */
  readonly tokenHint: string;
  readonly settings: JsonObject;
  readonly provisioning: AppProvisioning;
  readonly state: JsonObject;
  readonly created: string;
  readonly updated: string;
  /** Starts at 1 and goes up with every change of the row an admin makes (not with engine state). */
  readonly version: number;
  /** Which node works on the app, until when. */
  readonly leaseOwner: string | null;
  readonly leaseUntil: string | null;
}

/** What an admin may change in an app (the engine changes `state` through saveAppState). */
export interface AppChanges {
  readonly name?: string;
  readonly baseUrl?: string;
  readonly tokenCiphertext?: string;
  readonly tokenHint?: string;
  readonly settings?: JsonObject;
  readonly provisioning?: AppProvisioning;
}

/** Where a source object stands in one app. */
export type LinkStatus = "pending" | "synced" | "failed" | "disabled" | "deleted" | "skipped" | "staged";

/** Whether Muster created the target object or adopted one that was there (only those may be deleted). */
export type LinkOrigin = "created" | "adopted";

/** A source User or Group's link to its object in one app's target. */
export interface AppLinkRecord {
  readonly tenantId: string;
  readonly appId: string;
  readonly resourceType: ResourceTypeName;
  readonly sourceId: string;
  readonly targetId: string | null;
  readonly origin: LinkOrigin | null;
  readonly status: LinkStatus;
  /** The document last written to the target (the mapped projection), for diffs and logs. */
  readonly written: JsonObject | null;
  /** Hash of `written`: an object whose projection hashes the same costs no request. */
  readonly writtenHash: string | null;
  readonly lastError: string | null;
  /** Failed attempts since the last success. */
  readonly attempts: number;
  /** When a failed object is tried again; null when nothing is due. */
  readonly nextRetryAt: string | null;
  readonly updated: string;
}

/** What one object action did, for the provisioning log. */
export type AppLogAction = "create" | "update" | "adopt" | "disable" | "delete" | "members" | "skip" | "stage";

/** How one object action ended. */
export type AppLogStatus = "success" | "failure" | "skipped" | "staged";

/** One entry of an app's provisioning log; `id` is a newId(), so id order is time order. */
export interface AppLogRecord {
  readonly tenantId: string;
  readonly appId: string;
  readonly id: string;
  readonly at: string;
  /** The cycle the action belongs to (an id of the engine's, e.g. `initial-…`, `incremental`, `on-demand-…`). */
  readonly cycle: string;
  readonly resourceType: ResourceTypeName;
  readonly sourceId: string;
  readonly targetId: string | null;
  readonly action: AppLogAction;
  readonly status: AppLogStatus;
  /** Steps, modified attributes (old → new), the requests' method, path, status and duration. Never a token. */
  readonly details: JsonObject;
  /** The target's error text, or why Muster failed. */
  readonly error: string | null;
  /** What to do about it, in words. */
  readonly fix: string | null;
}

/** Which log entries to list: every given criterion must hold. */
export interface AppLogFilter {
  readonly action?: AppLogAction;
  readonly status?: AppLogStatus;
  readonly sourceId?: string;
  /** Entries at or after this ISO time. */
  readonly since?: string;
  /** Entries before this ISO time. */
  readonly until?: string;
}

/** An action the deletion guard held back until an admin allows or rejects it. */
export interface StagedActionRecord {
  readonly tenantId: string;
  readonly appId: string;
  readonly id: string;
  readonly resourceType: ResourceTypeName;
  readonly sourceId: string;
  readonly action: "disable" | "delete";
  readonly reason: string;
  readonly created: string;
}

/** Outbound apps and everything the engine keeps per app. */
export interface OutboundRepository {
  /** Inserts an app (version 1, no lease). */
  createApp(app: Omit<AppRecord, "version" | "leaseOwner" | "leaseUntil">): Promise<AppRecord>;
  getApp(tenantId: string, id: string): Promise<AppRecord | undefined>;
  /** A tenant's apps by creation. */
  listApps(tenantId: string): Promise<AppRecord[]>;
  /** Every app whose provisioning is on, of every tenant (what the engine works on). */
  listActiveApps(): Promise<AppRecord[]>;
  /** Applies an admin's changes and bumps the version; undefined when the app does not exist, preconditionFailed when `expectedVersion` is given and moved. */
  updateApp(tenantId: string, id: string, changes: AppChanges, at: string, expectedVersion?: number): Promise<AppRecord | undefined>;
  /**
   * Replaces the engine's state (no version bump); false when the app no longer exists or, with
   * `expectedVersion`, when an admin changed it meanwhile (the engine reads it again before going on).
   */
  saveAppState(tenantId: string, id: string, state: JsonObject, expectedVersion?: number): Promise<boolean>;
  /** Deletes the app with its links, memberships, log and staged actions; false when absent. */
  deleteApp(tenantId: string, id: string): Promise<boolean>;
  /**
   * Takes or renews the app's lease for `owner` until `until`, when it is free, expired at `now`, or
   * already `owner`'s. True when `owner` holds it afterwards.
   */
  acquireLease(tenantId: string, id: string, owner: string, now: string, until: string): Promise<boolean>;
  /** Gives the lease up if `owner` holds it. */
  releaseLease(tenantId: string, id: string, owner: string): Promise<void>;

  getLink(appId: string, type: ResourceTypeName, sourceId: string): Promise<AppLinkRecord | undefined>;
  /** The links of these source objects that exist. */
  getLinks(appId: string, type: ResourceTypeName, sourceIds: readonly string[]): Promise<Map<string, AppLinkRecord>>;
  /** The link of a target object, if some source object is linked to it. */
  linkOfTarget(appId: string, type: ResourceTypeName, targetId: string): Promise<AppLinkRecord | undefined>;
  /** Inserts or replaces a link. */
  putLink(link: AppLinkRecord): Promise<void>;
  deleteLink(appId: string, type: ResourceTypeName, sourceId: string): Promise<boolean>;
  /** Links whose retry is due at `now`, soonest first, at most `limit`. */
  dueLinks(appId: string, now: string, limit: number): Promise<AppLinkRecord[]>;
  /** Links of one type in source-id order after `after`, at most `limit` (for reconciles). */
  pageLinks(appId: string, type: ResourceTypeName, after: string | undefined, limit: number): Promise<AppLinkRecord[]>;
  /** How many links the app has per type and status. */
  linkCounts(appId: string): Promise<{ readonly resourceType: ResourceTypeName; readonly status: LinkStatus; readonly count: number }[]>;

  /** Members Muster wrote to a target group, in member-id order after `after`, at most `limit`. */
  pageMemberships(appId: string, groupId: string, after: string | undefined, limit: number): Promise<string[]>;
  /** Which of these members Muster wrote to the target group. */
  hasMemberships(appId: string, groupId: string, memberIds: readonly string[]): Promise<Set<string>>;
  /** The target groups Muster wrote this member into. */
  groupsOfMember(appId: string, memberId: string): Promise<string[]>;
  addMemberships(tenantId: string, appId: string, groupId: string, memberIds: readonly string[]): Promise<void>;
  removeMemberships(appId: string, groupId: string, memberIds: readonly string[]): Promise<void>;
  /** Forgets every membership of a group (its target object is gone or was replaced). */
  clearMemberships(appId: string, groupId: string): Promise<void>;
  /** Forgets a member in every group (its target object is gone). */
  forgetMember(appId: string, memberId: string): Promise<void>;

  appendLog(entries: readonly AppLogRecord[]): Promise<void>;
  /** Newest first; `before` is the id the previous page ended with. */
  listLog(appId: string, filter: AppLogFilter, page: { readonly before?: string; readonly count: number }): Promise<{ records: AppLogRecord[]; next?: string }>;
  /** Entries per status and UTC day since `since`, for the statistics chart. */
  logTotals(appId: string, since: string): Promise<{ readonly day: string; readonly status: AppLogStatus; readonly count: number }[]>;
  /** Deletes at most `limit` of the app's entries older than `before`, oldest first; returns how many. */
  pruneLog(appId: string, before: string, limit: number): Promise<number>;

  stage(actions: readonly StagedActionRecord[]): Promise<void>;
  listStaged(appId: string, page: { readonly after?: string; readonly count: number }): Promise<StagedActionRecord[]>;
  countStaged(appId: string): Promise<number>;
  /** Removes staged actions (allowed or rejected); all of the app's when `ids` is undefined. Returns how many. */
  unstage(appId: string, ids?: readonly string[]): Promise<number>;
}
