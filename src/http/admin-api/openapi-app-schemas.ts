import { appSettingsJsonSchema } from "../../outbound/settings/describe-app-settings.js";
import type { JsonSchema, Parameter } from "./openapi-types.js";

/*
 * Component schemas and parameters of the outbound apps routes (shared/admin-api.ts "outbound apps").
 * The settings' schemas come from the settings' own zod schema, so the document cannot drift from
 * what the API accepts; their `$defs` become components and their references follow.
 */

const component = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const time: JsonSchema = { type: "string", format: "date-time" };
const nullableTime: JsonSchema = { type: ["string", "null"], format: "date-time" };
const text = { type: "string" } as const;
const nullableText = { type: ["string", "null"] } as const;
const count = { type: "integer", minimum: 0 } as const;
const object = (properties: Record<string, JsonSchema>, description: string, optional: readonly string[] = []): JsonSchema => ({
  type: "object",
  description,
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});
const nullableObject = (schema: JsonSchema): JsonSchema => ({ ...schema, type: ["object", "null"] });

/** A zod-made JSON schema as a component: `$schema` dropped, each of its `$defs` moved to the components as `<prefix><name>`. */
function asComponent(schema: Record<string, unknown>, prefix: string, defs: Record<string, JsonSchema>): Record<string, unknown> {
  const { $schema: _dialect, $defs, ...rest } = schema;
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/") ? `#/components/schemas/${prefix}${inner.slice(8)}` : rename(inner)]),
    );
  };
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, unknown>)) defs[`${prefix}${name}`] = rename(def) as JsonSchema;
  return rename(rest) as Record<string, unknown>;
}

/** The create body: every setting plus `token` and `testConnection`. */
function createRequest(defs: Record<string, JsonSchema>): JsonSchema {
  const settings = asComponent(appSettingsJsonSchema("settings"), "AppSettings", defs);
  const properties = settings["properties"] as Record<string, unknown>;
  return {
    ...settings,
    description: "A new app: its settings (docs/outbound-settings.md) and the target's token. Provisioning stays off unless `provisioning` is \"on\".",
    properties: {
      ...properties,
      token: { type: "string", minLength: 1, maxLength: 8192, writeOnly: true, description: "The target's Secret Token (bearer token); stored encrypted, never returned." },
      testConnection: { type: "boolean", default: false, description: "Run Test Connection first and save nothing when it fails." },
    },
    required: [...((settings["required"] as string[] | undefined) ?? []), "token"],
  };
}

/** The change body: any settings plus `token` and `version`. */
function updateRequest(defs: Record<string, JsonSchema>): JsonSchema {
  const patch = asComponent(appSettingsJsonSchema("patch"), "AppSettingsPatch", defs);
  const properties = patch["properties"] as Record<string, unknown>;
  return {
    ...patch,
    description: "The settings to change (each replaces its value; see docs/outbound-settings.md), a new token, and the version the change is based on.",
    properties: {
      ...properties,
      token: { type: "string", minLength: 1, maxLength: 8192, writeOnly: true, description: "A new Secret Token; required when baseUrl moves to another host." },
      version: { type: "integer", minimum: 1, description: "Refuse the change (409) if the app is no longer at this version." },
    },
  };
}

const counts = object(
  { created: count, updated: count, adopted: count, disabled: count, deleted: count, failed: count, skipped: count },
  "Object actions by outcome.",
);
const linkStatuses = ["pending", "synced", "failed", "disabled", "deleted", "skipped", "staged"];
const linksByStatus = object(Object.fromEntries(linkStatuses.map((status) => [status, count])), "Linked objects per status.");
const logActions = ["create", "update", "adopt", "disable", "delete", "members", "skip", "stage"];
const logStatuses = ["success", "failure", "skipped", "staged"];

/** The component schemas of the app routes (and the settings' own definitions). */
export function appSchemas(): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  const schemas: Record<string, JsonSchema> = {
    App: object(
      {
        id: text,
        name: text,
        baseUrl: { type: "string", format: "uri" },
        provisioning: { type: "string", enum: ["on", "off"] },
        tokenHint: { type: "string", examples: ["••••Xy3k"], description: "At most the token's last 4 characters; the token itself is never returned." },
        settings: { type: "object", description: "Every setting, defaults filled in (docs/outbound-settings.md)." },
        createdAt: time,
        updatedAt: time,
        version: { type: "integer", minimum: 1 },
        status: component("AppStatus"),
      },
      "An outbound app.",
    ),
    AppCounts: counts,
    AppStatus: object(
      {
        phase: { type: "string", enum: ["off", "quarantined", "initialCycle", "reconciling", "incremental"] },
        quarantine: nullableObject(
          object(
            {
              code: { type: "string", enum: ["auth", "unreachable", "settings", "token", "failures", "tooManyDeletions"] },
              reason: text,
              fix: text,
              since: time,
              nextAttemptAt: { ...nullableTime, description: "null: only an admin can lift it (staged deletions)." },
            },
            "Why the app stopped on its own.",
          ),
        ),
        staged: { ...count, description: "Deprovisions held back by the deletion guard." },
        lastCycle: nullableObject(
          object(
            { id: text, kind: { type: "string", enum: ["initial", "reconcile"] }, startedAt: time, endedAt: time, durationMs: count, outcome: { type: "string", enum: ["completed", "quarantined", "stopped"] }, counts: component("AppCounts") },
            "The last full cycle.",
          ),
        ),
        currentCycle: nullableObject(
          object(
            { id: text, kind: { type: "string", enum: ["initial", "reconcile"] }, startedAt: time, stage: { type: "string", enum: ["users", "groups", "orphans", "members", "references"] }, done: count, total: count, counts: component("AppCounts") },
            "The full cycle in progress.",
          ),
        ),
        totals: component("AppCounts"),
        links: object({ users: linksByStatus, groups: linksByStatus }, "Linked source objects per type and status."),
        backlog: nullableObject(object({ count, cap: count }, "Changes not yet applied, counted up to `cap`; null before the first cycle.")),
        lagMs: { type: ["integer", "null"], minimum: 0, description: "Age of the oldest change not yet applied; 0 when none." },
        lastChangeAt: nullableTime,
        worker: nullableObject(object({ node: text, until: time }, "The server process working on the app.")),
      },
      "An app's state and statistics.",
    ),
    CreateAppRequest: createRequest(defs),
    UpdateAppRequest: updateRequest(defs),
    TestConnectionRequest: object(
      {
        baseUrl: { type: "string", format: "uri" },
        token: { type: "string", writeOnly: true },
        matching: object({ users: { type: "array", items: text }, groups: { type: "array", items: text } }, "Matching attributes to probe.", ["users", "groups"]),
      },
      "Test Connection before saving.",
      ["matching"],
    ),
    ConnectionReport: object(
      {
        ok: { type: "boolean", description: "Every required probe passed." },
        probes: {
          type: "array",
          items: object({ id: text, ok: { type: "boolean" }, required: { type: "boolean" }, warning: { type: "boolean" }, summary: text, detail: nullableText, fix: nullableText }, "One probe, in words."),
        },
      },
      "Test Connection's result.",
    ),
    ProvisionRequest: object({ type: { type: "string", enum: ["User", "Group"] }, id: text, dryRun: { type: "boolean", default: false } }, "One object to provision now.", ["dryRun"]),
    ProvisionResult: object(
      {
        type: { type: "string", enum: ["User", "Group"] },
        id: text,
        dryRun: { type: "boolean" },
        plan: { type: "string", enum: ["write", "disable", "delete", "forget", "skip"] },
        reason: text,
        outcome: { type: "string", enum: ["success", "failure", "skipped", "planned"] },
        steps: { type: "array", items: object({ step: { type: "string", enum: ["scope", "match", "action", "request", "members"] }, summary: text }, "A step in words.") },
        exchanges: {
          type: "array",
          items: object(
            { method: text, path: text, attempt: count, status: { type: ["integer", "null"] }, durationMs: count, requestBody: {}, responseText: nullableText, error: nullableText },
            "One HTTP exchange with the target (never the token).",
          ),
        },
        wouldSend: nullableObject(object({ method: text, path: text, body: {} }, "Dry run: the request that would be sent.")),
        log: { oneOf: [component("AppLogEntry"), { type: "null" }] },
      },
      "What provisioning one object did, or would do.",
    ),
    AppLogEntry: object(
      {
        id: text,
        at: time,
        cycle: text,
        resourceType: { type: "string", enum: ["User", "Group"] },
        sourceId: text,
        display: { ...nullableText, description: "The object's userName or displayName when the action was taken (it may have been deleted since)." },
        targetId: nullableText,
        action: { type: "string", enum: logActions },
        status: { type: "string", enum: logStatuses },
        details: { type: "object", description: "Steps, modified attributes (old → new), and requests (method, path, status, duration)." },
        error: nullableText,
        fix: nullableText,
      },
      "One action on one object.",
    ),
    AppLogPage: object({ items: { type: "array", items: component("AppLogEntry") }, nextCursor: nullableText }, "A page of a provisioning log, newest first."),
    StagedAction: object(
      { id: text, resourceType: { type: "string", enum: ["User", "Group"] }, sourceId: text, action: { type: "string", enum: ["disable", "delete"] }, reason: text, createdAt: time },
      "A deprovision held back by the deletion guard.",
    ),
    StagedDecision: object({ decided: count }, "How many staged actions were allowed or rejected."),
  };
  return { ...schemas, ...defs };
}

const query = (name: string, description: string, schema: JsonSchema): Parameter => ({ name, in: "query", description, schema });

/** The query parameters of the app routes. */
export const appParameters: Readonly<Record<string, Parameter>> = {
  appLogAction: query("action", "Only entries of this action.", { type: "string", enum: logActions }),
  appLogStatus: query("status", "Only entries of this status.", { type: "string", enum: logStatuses }),
  sourceId: query("sourceId", "Only entries about this Muster user or group.", { type: "string", maxLength: 255 }),
  logSince: query("since", "Only entries at or after this time (ISO 8601).", { type: "string", format: "date-time" }),
  logUntil: query("until", "Only entries before this time (ISO 8601).", { type: "string", format: "date-time" }),
  appLogFormat: { name: "format", in: "query", required: true, description: "csv (a header row, then a row per entry) or json (one array of AppLogEntry).", schema: { type: "string", enum: ["csv", "json"] } },
};
