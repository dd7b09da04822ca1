import { fail, ok, type Result } from "../../scim/result.js";
import { appSettingsSchema, type AppSettings } from "./app-settings-schema.js";
import { settingsProblemsOf, type SettingsProblem } from "./settings-problem.js";

/**
 * Validates an app's settings (from the admin API or the CLI) and fills in every default. Every problem
 * is reported with its path, e.g. `userMappings[3].expression: expected ")" after argument 1 of lower(),
 * found the end of the expression at column 15`.
 */
export function parseAppSettings(input: unknown): Result<AppSettings, SettingsProblem[]> {
  const parsed = appSettingsSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail(settingsProblemsOf(parsed.error, Object.keys(appSettingsSchema.shape)));
}
