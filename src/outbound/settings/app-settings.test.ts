import { describe, expect, it } from "vitest";
import { defaultGroupMappings, defaultUserMappings } from "../mapping/default-mappings.js";
import { appSettingsSchema, type AppSettings } from "./app-settings-schema.js";
import { applyAppSettingsPatch } from "./apply-app-settings-patch.js";
import { appSettingsJsonSchema, describeAppSettings } from "./describe-app-settings.js";
import { parseAppSettings } from "./parse-app-settings.js";
import { parseAppSettingsPatch } from "./parse-app-settings-patch.js";
import { describeSettingsProblems } from "./settings-problem.js";

const minimal = { name: "Slack", baseUrl: "https://api.slack.example/scim/v2/" };

function settings(input: unknown): AppSettings {
  const parsed = parseAppSettings(input);
  if (!parsed.ok) throw new Error(describeSettingsProblems(parsed.error));
  return parsed.value;
}

function problems(input: unknown): string[] {
  const parsed = parseAppSettings(input);
  if (parsed.ok) throw new Error("accepted");
  return describeSettingsProblems(parsed.error).split("\n");
}

describe("parseAppSettings", () => {
  it("fills in every default", () => {
    expect(settings(minimal)).toEqual({
      name: "Slack",
      baseUrl: "https://api.slack.example/scim/v2",
      scope: { kind: "assigned", groupIds: [], userIds: [] },
      scopingFilter: undefined,
      userMappings: defaultUserMappings,
      groupMappings: defaultGroupMappings,
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
    });
  });

  it("does not share the default mappings between apps", () => {
    const first = settings(minimal);
    (first.userMappings[0] as { target: string }).target = "changed";
    expect(settings(minimal).userMappings[0]?.target).toBe("userName");
    expect(defaultUserMappings[0]?.target).toBe("userName");
  });

  it("accepts every setting, normalising what it can", () => {
    const full = settings({
      name: "  Workday  ",
      baseUrl: "HTTP://Target.Example:8443/scim///",
      scope: { kind: "assigned", groupIds: ["g1", "g1", "g2"], userIds: ["u1"] },
      scopingFilter: ' active eq true and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales" ',
      userMappings: [
        { target: "userName", expression: "lower(userName)" },
        { target: "externalId", expression: "id", applyOn: "create" },
        { target: "emails", source: "emails" },
      ],
      groupMappings: [{ target: "displayName", source: "displayName" }],
      matching: { users: ["emails.value", "externalId"] },
      onDisable: "none",
      onLeaveScope: "delete",
      onDelete: "disable",
      deletionThreshold: { count: null, percent: 2.5 },
      maxMembersPerPatch: 1000,
      maxConcurrency: 64,
      reconcileIntervalMinutes: 10_080,
      notificationEmails: ["ops@example.com", "Alerts@Example.com"],
      provisioning: "on",
    });
    expect(full).toMatchObject({
      name: "Workday",
      baseUrl: "http://target.example:8443/scim",
      scope: { kind: "assigned", groupIds: ["g1", "g2"], userIds: ["u1"] },
      scopingFilter: 'active eq true and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"',
      matching: { users: ["emails.value", "externalId"], groups: ["displayName"] },
      deletionThreshold: { count: null, percent: 2.5 },
      userMappings: [{ applyOn: "always" }, { applyOn: "create" }, { applyOn: "always" }],
    });
    expect(settings({ ...minimal, scope: { kind: "all" }, scopingFilter: "" })).toMatchObject({ scope: { kind: "all" }, scopingFilter: undefined });
    expect(settings({ ...minimal, scopingFilter: null }).scopingFilter).toBeUndefined();
  });

  it("names the path of every problem", () => {
    expect(
      problems({
        name: "",
        baseUrl: "https://user:pw@target.example/scim",
        scope: { kind: "some" },
        scopingFilter: "department eq",
        userMappings: [{ target: "userName", source: "userName" }, { target: "displayName", expression: "lower(userName" }, { target: "title", source: "title", extra: 1 }],
        groupMappings: [{ target: "externalId", source: "externalId" }],
        matching: { users: [], groups: ["members"] },
        onDisable: "suspend",
        deletionThreshold: { count: 0, percent: 101 },
        maxMembersPerPatch: 1001,
        maxConcurrency: 1.5,
        reconcileIntervalMinutes: 1,
        notificationEmails: ["ops@example.com", "not an address", "OPS@example.com"],
        provisioning: true,
        colour: "blue",
      }),
    ).toEqual([
      "name: must not be empty",
      "baseUrl: must not contain a user name or password; the target's token is a separate setting",
      'scope.kind: must be {"kind": "all"} or {"kind": "assigned", "groupIds": […], "userIds": […]}',
      expect.stringMatching(/^scopingFilter: Invalid filter at position 14: /),
      "userMappings[2].extra: is not allowed here",
      'userMappings[1].expression: expected "," or ")" after argument 1 of lower(), found the end of the expression at column 15',
      "groupMappings: displayName is required for Groups in SCIM, so a mapping must write it (the default maps displayName from displayName)",
      "matching.users: must name at least one attribute",
      "matching.groups[0]: members is complex; name one of its sub-attributes, e.g. members.value",
      'onDisable: must be "disable", "delete" or "none"',
      "deletionThreshold.count: must be at least 1",
      "deletionThreshold.percent: must be at most 100",
      "maxMembersPerPatch: must be at most 1000",
      "maxConcurrency: must be a whole number of requests",
      "reconcileIntervalMinutes: must be at least 5",
      "notificationEmails[1]: must be an email address",
      "notificationEmails[2]: lists OPS@example.com twice",
      'provisioning: must be "on" or "off"',
      expect.stringMatching(/^colour: is not a setting \(settings are: name, baseUrl, scope, .*provisioning\)$/),
    ]);
  });

  it("requires a name and an absolute http(s) base URL without query or fragment", () => {
    expect(problems({})).toEqual(["name: must be text", "baseUrl: must be a URL such as https://app.example.com/scim/v2"]);
    expect(problems({ name: "x", baseUrl: "target.example/scim" })).toEqual(["baseUrl: must be an absolute URL such as https://app.example.com/scim/v2"]);
    expect(problems({ name: "x", baseUrl: "ftp://target.example/scim" })).toEqual(["baseUrl: must be an https:// (or http://) URL, not ftp:"]);
    expect(problems({ name: "x", baseUrl: "https://target.example/scim?tenant=1" })).toEqual([expect.stringMatching(/^baseUrl: must not contain a query/)]);
    expect(problems({ name: "x", baseUrl: "https://target.example/scim#" })).toEqual([expect.stringMatching(/^baseUrl: must not contain a query/)]);
    expect(problems({ name: "a\u0000b", baseUrl: "https://t.example" })).toEqual(["name: must not contain control characters"]);
    expect(problems({ name: "x".repeat(101), baseUrl: "https://t.example" })).toEqual(["name: must be at most 100 characters"]);
    expect(settings({ name: "x", baseUrl: "https://t.example" }).baseUrl).toBe("https://t.example");
    expect(problems([])).toEqual(["must be an object of settings"]);
  });

  it("requires each matching attribute to be a simple, writable attribute some mapping writes", () => {
    expect(problems({ ...minimal, userMappings: [{ target: "userName", source: "userName" }] })).toEqual([
      "matching.users[1]: externalId is not written by any user mapping, so there is no value to match on",
    ]);
    expect(problems({ ...minimal, matching: { users: ["id"] } })).toEqual(["matching.users[0]: id is assigned by the target, so it cannot identify an object before it is linked"]);
    expect(problems({ ...minimal, matching: { users: ["userName", "USERNAME"] } })).toEqual(["matching.users[1]: lists USERNAME twice"]);
    expect(problems({ ...minimal, matching: { users: ["name"] } })).toEqual(["matching.users[0]: name is complex; name one of its sub-attributes, e.g. name.value"]);
    expect(settings({ ...minimal, matching: { users: ["employeeNumber", "emails.value"] } }).matching.users).toEqual(["employeeNumber", "emails.value"]);
  });

  it("validates the scope's ids", () => {
    expect(problems({ ...minimal, scope: { kind: "assigned", groupIds: [""], userIds: [1] } })).toEqual(["scope.groupIds[0]: must not be empty", "scope.userIds[0]: must be user ids (text)"]);
    expect(problems({ ...minimal, scope: { kind: "all", groupIds: [] } })).toEqual(["scope.groupIds: is not allowed here"]);
  });
});

describe("applyAppSettingsPatch", () => {
  const current = settings({ ...minimal, scopingFilter: "active eq true", userMappings: [...defaultUserMappings, { target: "x509Certificates", source: "x509Certificates" }] });

  function patched(patch: unknown): AppSettings {
    const parsed = parseAppSettingsPatch(patch);
    if (!parsed.ok) throw new Error(describeSettingsProblems(parsed.error));
    const result = applyAppSettingsPatch(current, parsed.value);
    if (!result.ok) throw new Error(describeSettingsProblems(result.error));
    return result.value;
  }

  it("changes only what it names", () => {
    expect(patched({})).toEqual(current);
    expect(patched({ provisioning: "on", maxConcurrency: 8 })).toEqual({ ...current, provisioning: "on", maxConcurrency: 8 });
    expect(patched({ baseUrl: "https://other.example/v2/" }).baseUrl).toBe("https://other.example/v2");
  });

  it("merges deletionThreshold and matching member by member", () => {
    expect(patched({ deletionThreshold: { count: null } }).deletionThreshold).toEqual({ count: null, percent: 20 });
    expect(patched({ matching: { groups: ["externalId"] } }).matching).toEqual({ users: ["userName", "externalId"], groups: ["externalId"] });
  });

  it("removes the scoping filter with null or empty text, and restores default mappings with null", () => {
    expect(patched({ scopingFilter: null }).scopingFilter).toBeUndefined();
    expect(patched({ scopingFilter: "" }).scopingFilter).toBeUndefined();
    expect(patched({ scopingFilter: "userName pr" }).scopingFilter).toBe("userName pr");
    expect(current.userMappings).toHaveLength(defaultUserMappings.length + 1);
    expect(patched({ userMappings: null }).userMappings).toEqual(defaultUserMappings);
  });

  it("refuses a patch with invalid settings, and one that breaks the settings as a whole", () => {
    expect(parseAppSettingsPatch({ maxConcurrency: 0, colour: "x" })).toMatchObject({
      ok: false,
      error: [{ path: "maxConcurrency", message: "must be at least 1" }, { path: "colour", message: expect.stringMatching(/^is not a setting/) }],
    });
    expect(parseAppSettingsPatch({ name: null })).toMatchObject({ ok: false, error: [{ path: "name", message: "must be text" }] });
    const parsed = parseAppSettingsPatch({ userMappings: [{ target: "userName", source: "userName" }] });
    if (!parsed.ok) throw new Error("patch refused");
    expect(applyAppSettingsPatch(current, parsed.value)).toEqual({
      ok: false,
      error: [{ path: "matching.users[1]", message: "externalId is not written by any user mapping, so there is no value to match on" }],
    });
  });
});

describe("describeAppSettings", () => {
  it("describes every setting once, in order, with the defaults parseAppSettings applies", () => {
    const described = describeAppSettings();
    const defaults = settings(minimal) as unknown as Record<string, unknown>;
    expect(described.map((setting) => setting.name)).toEqual(Object.keys(appSettingsSchema.shape));
    for (const setting of described) {
      expect(setting.description.length, setting.name).toBeGreaterThan(20);
      if (setting.required) expect(setting.default).toBeUndefined();
      else if (setting.name !== "scopingFilter") expect(setting.default, setting.name).toEqual(defaults[setting.name]);
    }
    expect(described.filter((setting) => setting.required).map((setting) => setting.name)).toEqual(["name", "baseUrl"]);
  });

  it("gives JSON schemas with descriptions for create and update", () => {
    const create = appSettingsJsonSchema("settings");
    expect(create).toMatchObject({ type: "object", required: ["name", "baseUrl"], additionalProperties: false, properties: { provisioning: { enum: ["on", "off"], default: "off" } } });
    const properties = create["properties"] as Record<string, { description?: string }>;
    for (const setting of describeAppSettings()) expect(properties[setting.name]?.description).toBe(setting.description);
    expect(appSettingsJsonSchema("patch")).not.toHaveProperty("required");
  });
});
