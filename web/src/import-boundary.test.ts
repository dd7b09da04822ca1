import { describe, expect, it } from "vitest";

// Every source file of the console, as text (Vite reads them at test time).
const sources = import.meta.glob(["./**/*.ts", "./**/*.tsx"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const packages = new Set(["react", "react-dom/client", "react-router", "react-router/dom", "@tanstack/react-query", "marked", "vitest"]);

/**
 * The imports of one console file that break the boundary: outside web/ it may reach only the admin
 * API contract (shared/admin-api.ts) and the IdP guides (docs/idp/*.md?raw); packages only from the list.
 */
function boundaryViolations(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((match) => match[1]!);
  return specifiers.filter((specifier) => {
    if (!specifier.startsWith(".")) return !packages.has(specifier);
    const target = new URL(specifier, new URL(file.replace(/^\.\//, ""), "file:///repo/web/src/")).pathname;
    if (target.startsWith("/repo/web/")) return false;
    if (/^\/repo\/shared\/admin-api(\.js|\.ts)?$/.test(target)) return false;
    if (/^\/repo\/docs\/idp\/[\w-]+\.md$/.test(target) && specifier.endsWith("?raw")) return false;
    return true;
  });
}

describe("the console's import boundary", () => {
  it("reads the console's sources", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    expect(Object.keys(sources)).toContain("./main.tsx");
  });

  it("imports from the server tree only the admin API contract, and only listed packages", () => {
    const violations = Object.entries(sources).flatMap(([file, source]) => boundaryViolations(file, source).map((specifier) => `${file} imports ${specifier}`));
    expect(violations).toEqual([]);
  });

  it("catches imports of server code, Node built-ins and unlisted packages", () => {
    const source = [
      'import { scimError } from "../../../src/scim/errors.js";',
      'import type { Store } from "../../../src/store/store";',
      'import { readFileSync } from "node:fs";',
      'import Fastify from "fastify";',
      'const lazy = import("../../../src/http/server.js");',
      'export { passwordRules } from "../../../shared/other.js";',
      'import notes from "../../../docs/scim.md?raw";',
    ].join("\n");
    expect(boundaryViolations("./lib/example.ts", source)).toEqual([
      "../../../src/scim/errors.js",
      "../../../src/store/store",
      "node:fs",
      "fastify",
      "../../../src/http/server.js",
      "../../../shared/other.js",
      "../../../docs/scim.md?raw",
    ]);
  });

  it("allows the contract, the guides, the console's own files and listed packages", () => {
    const source = [
      'import type { Tenant } from "../../../shared/admin-api";',
      'import okta from "../../../docs/idp/okta.md?raw";',
      'import { api } from "../api/console-api";',
      'import { useQuery } from "@tanstack/react-query";',
    ].join("\n");
    expect(boundaryViolations("./pages/example.tsx", source)).toEqual([]);
  });
});
