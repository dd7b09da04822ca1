import { operation } from "./openapi-operation.js";
import { ref } from "./openapi-schemas.js";
import type { OpenApiDocument, Operation } from "./openapi-types.js";

/* The paths of the outbound apps routes (shared/admin-api.ts "outbound apps") in the admin API document. */

const app = ["slug", "id"];
const tag = "apps";
const appAnswer = ["The app.", "App"] as const;
const logFilters = ["appLogAction", "appLogStatus", "sourceId", "logSince", "logUntil"];

/** GET …/logs/export: every matching entry as one download in CSV or JSON. */
function exportOperation(): Operation {
  const base = operation("get", {
    id: "exportAppLog",
    summary: "Download an app's provisioning log as CSV or JSON",
    description:
      "Every matching entry, newest first, streamed with `Content-Disposition: attachment`. CSV: a header row, then a row per entry (cells starting with =, +, -, @, tab or CR get a leading ' so spreadsheets do not run them); `details` is a JSON text. JSON: one array of AppLogEntry.",
    tag,
    parameters: [...app, "appLogFormat", ...logFilters],
    ok: { "200": ["The entries."] },
    errors: ["Invalid", "NotFound"],
  });
  const entries = { type: "array", items: ref("schemas", "AppLogEntry") };
  return { ...base, responses: { ...base.responses, "200": { description: "The entries, as a download.", content: { "text/csv": { schema: { type: "string" } }, "application/json": { schema: entries } } } } };
}

/** The app routes' paths, merged into the document's. */
export const appPaths: OpenApiDocument["paths"] = {
  "/tenants/{slug}/apps": {
    get: operation("get", { id: "listApps", summary: "A tenant's outbound apps with their status and statistics, by creation", tag, parameters: ["slug"], ok: { "200": ["The apps.", { type: "array", items: ref("schemas", "App") }] }, errors: ["NotFound"] }),
    post: operation("post", {
      id: "createApp",
      summary: "Add an outbound app",
      description: "The token is encrypted and never returned. Settings problems are answered with `problems`, each naming its path. Provisioning stays off unless asked for. With `testConnection`, nothing is saved when Test Connection fails.",
      tag,
      parameters: ["slug"],
      body: "CreateAppRequest",
      ok: { "201": ["Created.", "App"] },
      errors: ["Invalid", "NotFound"],
    }),
  },
  "/tenants/{slug}/apps/test": {
    post: operation("post", { id: "testUnsavedApp", summary: "Test Connection with a Tenant URL and token before saving an app (GET requests only)", tag, parameters: ["slug"], body: "TestConnectionRequest", ok: { "200": ["The report (also when the test fails).", "ConnectionReport"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/apps/{id}": {
    get: operation("get", { id: "getApp", summary: "An app with its status and statistics", tag, parameters: app, ok: { "200": appAnswer }, errors: ["NotFound"] }),
    patch: operation("patch", {
      id: "updateApp",
      summary: "Change an app's settings or token",
      description: "Only the settings given change. Moving baseUrl to another host requires `token` again. With `version`, 409 when the app changed meanwhile.",
      tag,
      parameters: app,
      body: "UpdateAppRequest",
      ok: { "200": appAnswer },
      errors: ["Invalid", "NotFound", "Conflict"],
    }),
    delete: operation("delete", {
      id: "deleteApp",
      summary: "Delete an app with its links, logs and staged actions (nothing is sent to the target)",
      description: "An optional JSON body `{\"version\": n}` refuses the deletion (409) when the app changed meanwhile.",
      tag,
      parameters: app,
      ok: { "204": ["Deleted."] },
      errors: ["Invalid", "NotFound", "Conflict"],
    }),
  },
  "/tenants/{slug}/apps/{id}/test": {
    post: operation("post", { id: "testApp", summary: "Test Connection of a saved app (GET requests only)", tag, parameters: app, ok: { "200": ["The report (also when the test fails).", "ConnectionReport"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/apps/{id}/pause": {
    post: operation("post", { id: "pauseApp", summary: "Turn provisioning off", tag, parameters: app, ok: { "200": appAnswer }, errors: ["NotFound"] }),
  },
  "/tenants/{slug}/apps/{id}/resume": {
    post: operation("post", { id: "resumeApp", summary: "Turn provisioning on", tag, parameters: app, ok: { "200": appAnswer }, errors: ["NotFound"] }),
  },
  "/tenants/{slug}/apps/{id}/restart": {
    post: operation("post", {
      id: "restartApp",
      summary: "Restart provisioning: a new initial cycle re-evaluates every object (links are kept)",
      description: "Forgets the app's position in the change feed, its cycle, quarantine, totals and staged actions.",
      tag,
      parameters: app,
      ok: { "200": appAnswer },
      errors: ["NotFound"],
    }),
  },
  "/tenants/{slug}/apps/{id}/provision": {
    post: operation("post", {
      id: "provisionOnDemand",
      summary: "Provision one user or group now, or show what would be sent (dryRun)",
      description: "Synchronous: returns each step (scope, match, action, requests, memberships) and every HTTP exchange with the target. Works whether provisioning is on or off.",
      tag,
      parameters: app,
      body: "ProvisionRequest",
      ok: { "200": ["What was done.", "ProvisionResult"] },
      errors: ["Invalid", "NotFound"],
    }),
  },
  "/tenants/{slug}/apps/{id}/logs": {
    get: operation("get", { id: "listAppLog", summary: "An app's provisioning log, newest first", tag, parameters: [...app, ...logFilters, "count", "cursor"], ok: { "200": ["A page of entries.", "AppLogPage"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/apps/{id}/logs/export": {
    get: exportOperation(),
  },
  "/tenants/{slug}/apps/{id}/staged": {
    get: operation("get", { id: "listStaged", summary: "Deprovisions the deletion guard held back, oldest first", tag, parameters: [...app, "count", "cursor"], ok: { "200": ["A page of staged actions.", "PageOfStagedAction"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/apps/{id}/staged/allow": {
    post: operation("post", { id: "allowStaged", summary: "Send every staged action (deprovisions pass the guard for an hour)", tag, parameters: app, ok: { "200": ["How many were allowed.", "StagedDecision"] }, errors: ["NotFound", "Conflict"] }),
  },
  "/tenants/{slug}/apps/{id}/staged/reject": {
    post: operation("post", { id: "rejectStaged", summary: "Send none of the staged actions; Muster stops managing those objects", tag, parameters: app, ok: { "200": ["How many were rejected.", "StagedDecision"] }, errors: ["NotFound", "Conflict"] }),
  },
};
