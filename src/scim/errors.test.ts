import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCatalogue, presentError, scimError } from "./errors.js";

const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

describe("error catalogue", () => {
  it("is documented row by row in docs/errors.md", () => {
    const rows = [...doc.matchAll(/^\| `(\w+)` \| (\d{3}) \| (?:`(\w+)`|—) \| (.+) \|$/gm)].map(([, code, status, scimType, summary]) => ({ code, status: Number(status), scimType, summary }));
    const expected = Object.entries(errorCatalogue).map(([code, entry]) => ({ code, status: entry.status, scimType: "scimType" in entry ? entry.scimType : undefined, summary: entry.summary }));
    expect(rows).toEqual(expected);
  });

  it("renders the RFC 7644 §3.12 body with status as a string and scimType only where defined", () => {
    expect(presentError(scimError("uniqueness", "taken"))).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "409", scimType: "uniqueness", detail: "taken" });
    expect(presentError(scimError("notFound", "missing"))).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404", detail: "missing" });
  });

  it("uses only 4xx and 5xx statuses", () => {
    for (const entry of Object.values(errorCatalogue)) expect(entry.status).toBeGreaterThanOrEqual(400);
  });
});
