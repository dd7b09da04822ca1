import type { Result } from "../../scim/result.js";
import type { AppSettings } from "./app-settings-schema.js";
import { parseAppSettings } from "./parse-app-settings.js";
import type { AppSettingsPatch } from "./parse-app-settings-patch.js";
import type { SettingsProblem } from "./settings-problem.js";

/** The settings after a patch (see AppSettingsPatch for what each member does), validated as a whole. */
export function applyAppSettingsPatch(current: AppSettings, patch: AppSettingsPatch): Result<AppSettings, SettingsProblem[]> {
  const { scopingFilter, userMappings, groupMappings, matching, deletionThreshold, ...replaced } = patch;
  const next: Record<string, unknown> = { ...current, ...withoutUndefined(replaced) };
  if ("scopingFilter" in patch) next["scopingFilter"] = scopingFilter ?? undefined;
  // null restores the defaults, which parseAppSettings fills in for a missing member.
  if (userMappings === null) delete next["userMappings"];
  else if (userMappings !== undefined) next["userMappings"] = userMappings;
  if (groupMappings === null) delete next["groupMappings"];
  else if (groupMappings !== undefined) next["groupMappings"] = groupMappings;
  if (matching !== undefined) next["matching"] = { ...current.matching, ...withoutUndefined(matching) };
  if (deletionThreshold !== undefined) next["deletionThreshold"] = { ...current.deletionThreshold, ...withoutUndefined(deletionThreshold) };
  return parseAppSettings(next);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as Partial<T>;
}
