import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { registry } from "../scim/schema/registry.js";
import { Urn } from "../scim/urns.js";
import { defaultGroupMappings, defaultUserMappings } from "./mapping/default-mappings.js";
import { compileExpression } from "./mapping/expression/compile-expression.js";
import { describeExpressionError } from "./mapping/expression/expression-ast.js";
import { evaluateExpression } from "./mapping/expression/evaluate-expression.js";
import { expressionFunctions } from "./mapping/expression/expression-functions.js";
import type { SourceResource } from "./mapping/source-resource.js";
import { describeAppSettings } from "./settings/describe-app-settings.js";

/* docs/outbound-settings.md against the code: every setting and its default, every function, the default mappings, and each example's result. */

const doc = readFileSync(new URL("../../docs/outbound-settings.md", import.meta.url), "utf8");

function section(heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const rest = doc.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

function tableRows(text: string): string[][] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("|---"))
    .slice(1)
    .map((line) => line.slice(2, -2).split(" | "));
}

describe("docs/outbound-settings.md", () => {
  it("lists every setting in order with its default", () => {
    const rows = tableRows(section("## Settings"));
    const settings = describeAppSettings();
    expect(rows.map(([name]) => name)).toEqual(settings.map((setting) => `\`${setting.name}\``));
    for (const [index, setting] of settings.entries()) {
      const shown = rows[index]?.[2] ?? "";
      if (setting.required) expect(shown, setting.name).toBe("required");
      else if (setting.default === undefined) expect(shown, setting.name).toBe("none");
      else if (!setting.name.endsWith("Mappings")) expect(JSON.parse(shown.replace(/^`|`$/g, "")), setting.name).toEqual(setting.default);
    }
  });

  it("lists every expression function in order", () => {
    const rows = tableRows(section("## Expressions"));
    expect(rows.map(([signature]) => signature)).toEqual([...expressionFunctions.values()].map((definition) => `\`${definition.signature}\``));
  });

  it("gives the result each example really has", () => {
    const examples = section("### Examples");
    const sample = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(examples)?.[1] ?? "") as SourceResource;
    const rows = tableRows(examples);
    expect(rows.length).toBeGreaterThan(10);
    for (const [expression = "", result = ""] of rows) {
      const text = expression.replace(/^`|`$/g, "");
      const compiled = compileExpression(registry.forType("User"), text);
      if (!compiled.ok) throw new Error(`${text}: ${describeExpressionError(compiled.error)}`);
      const value = evaluateExpression(compiled.value, sample);
      expect(value.ok, text).toBe(true);
      const expected = result.startsWith("unassigned") ? undefined : JSON.parse(result.replace(/^`|`$/g, ""));
      expect(value.ok ? value.value : "failed", text).toEqual(expected);
    }
  });

  it("lists the default mappings", () => {
    const [[users = "", groups = ""] = []] = tableRows(section("## Default mappings"));
    const named = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
    const short = (target: string) => target.replace(`${Urn.EnterpriseUser}:`, "");
    expect(named(users)).toEqual(defaultUserMappings.map((mapping) => short(mapping.target)));
    expect(named(groups)).toEqual(defaultGroupMappings.map((mapping) => mapping.target));
    expect(defaultUserMappings.every((mapping) => mapping.source === mapping.target)).toBe(true);
  });
});
