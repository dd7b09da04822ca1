import { z } from "zod";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { defaultMappings } from "../mapping/default-mappings.js";
import { validateMappings } from "../mapping/validate-mappings.js";
import { compileScope } from "../scope/compile-scope.js";
import { checkMatchingAttribute } from "./check-matching-attribute.js";

/*
 * The schema of every app setting, without defaults: the full settings (parse-app-settings.ts) add the
 * defaults, a patch (parse-app-settings-patch.ts) makes each optional. Messages complete a sentence that
 * starts with the setting's path: "baseUrl: must not contain a query (?…) or fragment (#…)".
 */

const controlCharacters = /[\u0000-\u001f\u007f]/;

const name = z
  .string({ error: "must be text" })
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .refine((text) => !controlCharacters.test(text), "must not contain control characters");

const baseUrl = z
  .string({ error: "must be a URL such as https://app.example.com/scim/v2" })
  .trim()
  .max(2048, "must be at most 2048 characters")
  .transform((text, context) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      context.addIssue({ code: "custom", message: "must be an absolute URL such as https://app.example.com/scim/v2" });
      return z.NEVER;
    }
    const problem =
      url.protocol !== "https:" && url.protocol !== "http:"
        ? `must be an https:// (or http://) URL, not ${url.protocol}`
        : url.username !== "" || url.password !== ""
          ? "must not contain a user name or password; the target's token is a separate setting"
          : url.search !== "" || url.hash !== "" || /[?#]/.test(text)
            ? "must not contain a query (?…) or fragment (#…): it is the base that /Users and /Groups are appended to"
            : undefined;
    if (problem) {
      context.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return url.href.replace(/\/+$/, "");
  });

const resourceIds = (what: string) =>
  z
    .array(z.string({ error: `must be ${what} ids (text)` }).trim().min(1, "must not be empty").max(255, "must be at most 255 characters"), { error: `must be a list of ${what} ids` })
    .max(10_000, `must list at most 10000 ${what}s`)
    .transform((ids) => [...new Set(ids)]);

const scope = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("all") }),
    z.strictObject({ kind: z.literal("assigned"), groupIds: resourceIds("group").default([]), userIds: resourceIds("user").default([]) }),
  ],
  { error: 'must be {"kind": "all"} or {"kind": "assigned", "groupIds": […], "userIds": […]}' },
);

const scopingFilter = z
  .string({ error: "must be a SCIM filter over users, as text" })
  .trim()
  .superRefine((text, context) => {
    if (text === "") return;
    const compiled = compileScope({ scope: { kind: "all" }, scopingFilter: text });
    if (!compiled.ok) context.addIssue({ code: "custom", message: compiled.error });
  })
  .transform((text) => (text === "" ? undefined : text));

const mapping = z.strictObject({
  target: z.string({ error: "must be a target attribute path" }),
  source: z.string({ error: "must be a source attribute path" }).optional(),
  constant: z.json({ error: "must be a JSON value" }).optional(),
  expression: z.string({ error: "must be an expression (text)" }).max(10_000, "must be at most 10000 characters").optional(),
  applyOn: z.enum(["always", "create"], { error: 'must be "always" or "create"' }).default("always"),
});

/** A mapping list for one resource type, checked as a whole by the mapping compiler. */
const mappings = (type: ResourceTypeName) =>
  z
    .array(mapping, { error: "must be a list of mappings" })
    .max(200, "must have at most 200 mappings")
    .superRefine((list, context) => {
      for (const problem of validateMappings(type, list)) {
        const path = problem.index === undefined ? [] : problem.field === undefined ? [problem.index] : [problem.index, problem.field];
        context.addIssue({ code: "custom", path, message: problem.message });
      }
    });

const matchingList = (type: ResourceTypeName) =>
  z
    .array(z.string({ error: "must be attribute paths (text)" }), { error: "must be a list of target attribute paths, in order of precedence" })
    .min(1, "must name at least one attribute")
    .max(5, "must name at most 5 attributes")
    .superRefine((list, context) => {
      const seen = new Set<string>();
      list.forEach((text, index) => {
        const checked = checkMatchingAttribute(type, text);
        if (!checked.ok) context.addIssue({ code: "custom", path: [index], message: checked.error });
        else if (seen.has(checked.value.key)) context.addIssue({ code: "custom", path: [index], message: `lists ${text} twice` });
        else seen.add(checked.value.key);
      });
    });

const action = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values, { error: `must be ${values.map((value) => `"${value}"`).join(", ").replace(/, ([^,]*)$/, " or $1")}` });

const wholeNumber = (min: number, max: number, unit: string) =>
  z.number({ error: `must be a whole number of ${unit}` }).int(`must be a whole number of ${unit}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const notificationEmails = z
  .array(z.email({ error: "must be an email address" }), { error: "must be a list of email addresses" })
  .max(20, "must list at most 20 addresses")
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.forEach((address, index) => {
      const key = address.toLowerCase();
      if (seen.has(key)) context.addIssue({ code: "custom", path: [index], message: `lists ${address} twice` });
      seen.add(key);
    });
  });

/** The field schemas, in the order settings are documented. */
export const settingFields = {
  name,
  baseUrl,
  scope,
  scopingFilter,
  userMappings: mappings("User"),
  groupMappings: mappings("Group"),
  matching: { users: matchingList("User"), groups: matchingList("Group") },
  onDisable: action(["disable", "delete", "none"]),
  onLeaveScope: action(["disable", "delete", "none"]),
  onDelete: action(["delete", "disable", "none"]),
  deletionThreshold: {
    count: wholeNumber(1, 1_000_000, "objects").nullable(),
    percent: z.number({ error: "must be a percentage" }).gt(0, "must be more than 0").max(100, "must be at most 100").nullable(),
  },
  maxMembersPerPatch: wholeNumber(1, 1000, "members"),
  maxConcurrency: wholeNumber(1, 64, "requests"),
  reconcileIntervalMinutes: wholeNumber(5, 10_080, "minutes"),
  notificationEmails,
  provisioning: action(["on", "off"]),
} as const;

/** The defaults of every setting that has one (name and baseUrl have none). */
export const settingDefaults = {
  scope: { kind: "assigned", groupIds: [], userIds: [] },
  userMappings: defaultMappings("User"),
  groupMappings: defaultMappings("Group"),
  matching: { users: ["userName", "externalId"], groups: ["displayName"] },
  onDisable: "disable",
  onLeaveScope: "disable",
  onDelete: "delete",
  deletionThreshold: { count: 500, percent: 20 },
  maxMembersPerPatch: 100,
  maxConcurrency: 4,
  reconcileIntervalMinutes: 60,
  notificationEmails: [],
  provisioning: "off",
} as const;
