import { z } from "zod";
import type { JsonValue } from "../../scim/json.js";
import { appSettingsSchema, type AppSettings } from "./app-settings-schema.js";
import { appSettingsPatchSchema } from "./parse-app-settings-patch.js";
import { settingDefaults } from "./setting-fields.js";

/** One setting as documented: its name, what it holds, its default (absent when the setting is required). */
export interface SettingDescription {
  readonly name: keyof AppSettings;
  readonly type: string;
  readonly required: boolean;
  readonly default?: JsonValue;
  readonly description: string;
}

const texts: Readonly<Record<keyof AppSettings, { readonly type: string; readonly description: string }>> = {
  name: { type: "text, 1–100 characters", description: "The app's name, shown in the console, logs and emails." },
  baseUrl: {
    type: "absolute http(s) URL",
    description: "The target's SCIM base URL (Entra: Tenant URL); `/Users` and `/Groups` are appended. No user name, password, query or fragment; trailing slashes are removed.",
  },
  scope: {
    type: '{"kind": "all"} or {"kind": "assigned", "groupIds": [ids], "userIds": [ids]}',
    description: "Which users and groups are provisioned: all of the tenant's, or the assigned groups (with their direct members; nested groups are not expanded) and the assigned users.",
  },
  scopingFilter: {
    type: "SCIM filter over Users, or absent",
    description: 'Narrows the users in scope, in either scope kind, e.g. `active eq true and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"`; evaluated by Muster\'s own filter engine. Groups are not filtered.',
  },
  userMappings: { type: "list of mappings (at most 200)", description: "How a Muster user becomes the target's user: `{target, source | constant | expression, applyOn}`. Absent (or null in a patch): the default mappings." },
  groupMappings: { type: "list of mappings (at most 200)", description: "How a Muster group becomes the target's group (members are sent by the engine). Absent (or null in a patch): the default mappings." },
  matching: {
    type: '{"users": [paths], "groups": [paths]}, 1–5 each',
    description: "Target attributes used, in order, to find an object that already exists in the target before creating it (`filter=<attribute> eq \"<value>\"`); the first one that finds an object wins. Each must be written by a mapping.",
  },
  onDisable: { type: '"disable", "delete" or "none"', description: "What happens in the target when a user is disabled in Muster (`active` false): PATCH active=false, DELETE, or nothing." },
  onLeaveScope: { type: '"disable", "delete" or "none"', description: "What happens in the target when an object leaves scope (unassigned, or fails the scoping filter)." },
  onDelete: { type: '"delete", "disable" or "none"', description: "What happens in the target when the object is deleted in Muster. Muster never deletes a target object it did not create or adopt." },
  deletionThreshold: {
    type: '{"count": number or null, "percent": number or null}',
    description: "Accidental-deletion guard: a cycle that would disable or delete more than `count` objects, or more than `percent` % of the app's linked objects, sends none of them and waits for an admin. null turns that part off.",
  },
  maxMembersPerPatch: { type: "whole number, 1–1000", description: "Most member changes sent in one group PATCH; lowered automatically when the target refuses a size." },
  maxConcurrency: { type: "whole number, 1–64", description: "Most requests in flight to the target; halved when it throttles, grown back slowly." },
  reconcileIntervalMinutes: { type: "whole number, 5–10080", description: "Minutes between full reconciliations, which recompute the desired state, read group members back and repair drift." },
  notificationEmails: { type: "list of email addresses (at most 20)", description: "Who is emailed when the app fails or is quarantined." },
  provisioning: { type: '"on" or "off"', description: "Whether the app provisions at all. Created apps start off, so they can be tested first." },
};

/** Every setting with its type, default and meaning, in documentation order (for docs and the OpenAPI document). */
export function describeAppSettings(): SettingDescription[] {
  return (Object.keys(appSettingsSchema.shape) as (keyof AppSettings)[]).map((name) => {
    const fallback = (settingDefaults as Readonly<Record<string, unknown>>)[name];
    return {
      name,
      ...texts[name],
      required: name === "name" || name === "baseUrl",
      ...(fallback !== undefined ? { default: structuredClone(fallback) as JsonValue } : {}),
    };
  });
}

/**
 * JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) of the settings accepted on create (`settings`) or
 * update (`patch`), each property carrying its description. Checks beyond structure (mappings, filters,
 * URLs) are not expressible in it; the API answers them with problems naming the path.
 */
export function appSettingsJsonSchema(kind: "settings" | "patch"): Record<string, unknown> {
  const schema = z.toJSONSchema(kind === "settings" ? appSettingsSchema : appSettingsPatchSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const properties = schema["properties"] as Record<string, Record<string, unknown>> | undefined;
  for (const [name, text] of Object.entries(texts)) {
    const property = properties?.[name];
    if (property) property["description"] = text.description;
  }
  return schema;
}
