import { z } from "zod";
import { fail, ok, type Result } from "../../scim/result.js";
import { settingFields as fields } from "./setting-fields.js";
import { settingsProblemsOf, type SettingsProblem } from "./settings-problem.js";

/** The zod schema of a partial update of an app's settings: every setting optional, no defaults. */
export const appSettingsPatchSchema = z.strictObject(
  {
    name: fields.name.optional(),
    baseUrl: fields.baseUrl.optional(),
    scope: fields.scope.optional(),
    /** null or "" removes the filter. */
    scopingFilter: fields.scopingFilter.nullable().optional(),
    /** null restores the default mappings. */
    userMappings: fields.userMappings.nullable().optional(),
    groupMappings: fields.groupMappings.nullable().optional(),
    matching: z.strictObject({ users: fields.matching.users.optional(), groups: fields.matching.groups.optional() }, { error: 'must be {"users": […], "groups": […]}' }).optional(),
    onDisable: fields.onDisable.optional(),
    onLeaveScope: fields.onLeaveScope.optional(),
    onDelete: fields.onDelete.optional(),
    deletionThreshold: z
      .strictObject({ count: fields.deletionThreshold.count.optional(), percent: fields.deletionThreshold.percent.optional() }, { error: 'must be {"count": …, "percent": …}' })
      .optional(),
    maxMembersPerPatch: fields.maxMembersPerPatch.optional(),
    maxConcurrency: fields.maxConcurrency.optional(),
    reconcileIntervalMinutes: fields.reconcileIntervalMinutes.optional(),
    notificationEmails: fields.notificationEmails.optional(),
    provisioning: fields.provisioning.optional(),
  },
  { error: "must be an object of settings to change" },
);

/**
 * A validated partial update: each setting given replaces the current one, except that `matching` and
 * `deletionThreshold` change only the members given, `scopingFilter: null` (or "") removes the filter and
 * `userMappings: null` / `groupMappings: null` restore the default mappings.
 */
export type AppSettingsPatch = z.output<typeof appSettingsPatchSchema>;

/**
 * Validates a partial update on its own (each setting as parseAppSettings would); checks that need the
 * other settings (matching attributes written by a mapping) run in applyAppSettingsPatch.
 */
export function parseAppSettingsPatch(input: unknown): Result<AppSettingsPatch, SettingsProblem[]> {
  const parsed = appSettingsPatchSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail(settingsProblemsOf(parsed.error, Object.keys(appSettingsPatchSchema.shape)));
}
