import { describe, expect, it } from "vitest";
import { guideLinkResolver, guides } from "./guides";
import { renderMarkdown } from "./markdown";

const resolve = guideLinkResolver((id) => `/admin/tenants/acme/integration/guides/${id}`);

describe("guides", () => {
  it("bundles the Entra ID and Okta guides from docs/idp", () => {
    expect(guides.map((guide) => guide.id)).toEqual(["entra-id", "okta", "other"]);
    for (const guide of guides) expect(guide.markdown.length).toBeGreaterThan(500);
  });

  it("follows links between guides to the console's guide pages, keeping the anchor", () => {
    expect(resolve("okta.md")).toBe("/admin/tenants/acme/integration/guides/okta");
    expect(resolve("entra-id.md#put-muster-on-a-public-https-address")).toBe("/admin/tenants/acme/integration/guides/entra-id#put-muster-on-a-public-https-address");
  });

  it("leaves links to files outside the guides unresolved", () => {
    expect(resolve("../scim.md#filters")).toBeNull();
    expect(resolve("../errors.md")).toBeNull();
  });

  it("renders every guide without raw HTML and with every anchor link pointing at a heading it has", () => {
    for (const guide of guides) {
      const { html, headings } = renderMarkdown(guide.markdown, resolve);
      expect(html).not.toMatch(/<(script|iframe|img|style)\b/i);
      const ids = new Set(headings.map((heading) => heading.id));
      for (const [, anchor] of html.matchAll(/href="#([^"]+)"/g)) expect(ids, `${guide.file} links to #${anchor}`).toContain(anchor);
    }
  });
});
