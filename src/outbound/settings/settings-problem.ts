import type { z } from "zod";

/** One reason settings were refused: where (`userMappings[3].expression`, `baseUrl`) and what is wrong. */
export interface SettingsProblem {
  readonly path: string;
  readonly message: string;
}

/** Writes a zod issue path as `userMappings[3].expression`. */
export function formatSettingsPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : `${text === "" ? "" : "."}${String(part)}`;
  return text;
}

/** The problems of a failed parse, one per issue; unknown keys are named one by one with the keys that exist. */
export function settingsProblemsOf(error: z.ZodError, known: readonly string[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const where = formatSettingsPath(issue.path);
      const message = issue.path.length === 0 ? `is not a setting (settings are: ${known.join(", ")})` : "is not allowed here";
      for (const key of issue.keys) problems.push({ path: where === "" ? key : `${where}.${key}`, message });
      continue;
    }
    problems.push({ path: formatSettingsPath(issue.path), message: issue.message });
  }
  return problems;
}

/** Problems as lines for a message: `userMappings[3].expression: expected ")" at column 14`. */
export function describeSettingsProblems(problems: readonly SettingsProblem[]): string {
  return problems.map((problem) => (problem.path === "" ? problem.message : `${problem.path}: ${problem.message}`)).join("\n");
}
