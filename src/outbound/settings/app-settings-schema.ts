import { z } from "zod";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { registry } from "../../scim/schema/registry.js";
import { compileTargetPath } from "../mapping/target-path.js";
import { checkMatchingAttribute } from "./check-matching-attribute.js";
import { settingDefaults, settingFields } from "./setting-fields.js";

const fields = settingFields;
const defaults = settingDefaults;

/** The zod schema of an app's complete settings, with every default (see setting-fields.ts). */
export const appSettingsSchema = z
  .strictObject({
    name: fields.name,
    baseUrl: fields.baseUrl,
    scope: fields.scope.prefault(() => ({ kind: defaults.scope.kind, groupIds: [], userIds: [] })),
    scopingFilter: fields.scopingFilter.nullish().transform((text) => text ?? undefined),
    userMappings: fields.userMappings.prefault(() => defaults.userMappings.map((mapping) => ({ ...mapping }))),
    groupMappings: fields.groupMappings.prefault(() => defaults.groupMappings.map((mapping) => ({ ...mapping }))),
    matching: z
      .strictObject(
        {
          users: fields.matching.users.prefault(() => [...defaults.matching.users]),
          groups: fields.matching.groups.prefault(() => [...defaults.matching.groups]),
        },
        { error: 'must be {"users": […], "groups": […]}' },
      )
      .prefault({}),
    onDisable: fields.onDisable.default(defaults.onDisable),
    onLeaveScope: fields.onLeaveScope.default(defaults.onLeaveScope),
    onDelete: fields.onDelete.default(defaults.onDelete),
    deletionThreshold: z
      .strictObject(
        { count: fields.deletionThreshold.count.default(defaults.deletionThreshold.count), percent: fields.deletionThreshold.percent.default(defaults.deletionThreshold.percent) },
        { error: 'must be {"count": …, "percent": …}' },
      )
      .prefault({}),
    maxMembersPerPatch: fields.maxMembersPerPatch.default(defaults.maxMembersPerPatch),
    maxConcurrency: fields.maxConcurrency.default(defaults.maxConcurrency),
    reconcileIntervalMinutes: fields.reconcileIntervalMinutes.default(defaults.reconcileIntervalMinutes),
    notificationEmails: fields.notificationEmails.prefault(() => []),
    provisioning: fields.provisioning.default(defaults.provisioning),
  }, { error: "must be an object of settings" })
  .superRefine((settings, context) => {
    checkMatchingIsMapped(settings.matching.users, settings.userMappings, "User", "users", context);
    checkMatchingIsMapped(settings.matching.groups, settings.groupMappings, "Group", "groups", context);
  });

/** An app's validated settings, defaults filled in. */
export type AppSettings = z.output<typeof appSettingsSchema>;

/** Settings as accepted (every setting but name and baseUrl may be left out). */
export type AppSettingsInput = z.input<typeof appSettingsSchema>;

/** The engine matches on values the target gets, so each matching attribute must be written by a mapping. */
function checkMatchingIsMapped(matching: readonly string[], mappings: readonly { target: string }[], type: ResourceTypeName, key: string, context: z.RefinementCtx): void {
  const schema = registry.forType(type);
  const written = new Set(mappings.map((mapping) => compileTargetPath(schema, mapping.target)).flatMap((target) => (target.ok ? [target.value.attributeName.toLowerCase()] : [])));
  matching.forEach((text, index) => {
    const attribute = checkMatchingAttribute(type, text);
    if (attribute.ok && !written.has(attribute.value.attributeName.toLowerCase())) {
      context.addIssue({ code: "custom", path: ["matching", key, index], message: `${attribute.value.path} is not written by any ${type.toLowerCase()} mapping, so there is no value to match on` });
    }
  });
}
