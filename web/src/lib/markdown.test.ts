import { describe, expect, it } from "vitest";
import { escapeHtml, headingId, renderMarkdown } from "./markdown";

const noLinks = () => null;

describe("renderMarkdown", () => {
  it("renders GitHub-flavoured markdown: headings, tables and code", () => {
    const { html } = renderMarkdown("# Title\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```sh\necho hi\n```\n", noLinks);
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).toContain("<table>");
    expect(html).toContain("<td>1</td>");
    expect(html).toContain('<code class="language-sh">echo hi');
  });

  it("shows raw HTML blocks as text instead of elements", () => {
    const { html } = renderMarkdown('<div onclick="steal()">x</div>\n\n<script>alert(1)</script>\n', noLinks);
    expect(html).not.toContain("<div");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows inline HTML tags as text", () => {
    const { html } = renderMarkdown('Press <img src=x onerror="steal()"> now', noLinks);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;steal()&quot;&gt;");
  });

  it("drops HTML comments", () => {
    const { html } = renderMarkdown("before\n\n<!-- a note for editors -->\n\nafter\n", noLinks);
    expect(html).not.toContain("note for editors");
    expect(html).toContain("<p>after</p>");
  });

  it("escapes markup characters in text and code", () => {
    const { html } = renderMarkdown("a < b & `<tag>`\n", noLinks);
    expect(html).toContain("a &lt; b &amp; <code>&lt;tag&gt;</code>");
  });

  it("keeps http(s) links and opens them in a new tab without a referrer", () => {
    const { html } = renderMarkdown("[Entra](https://entra.microsoft.com)", noLinks);
    expect(html).toContain('<a href="https://entra.microsoft.com" target="_blank" rel="noopener noreferrer">Entra</a>');
  });

  it.each(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "//evil.example/x", "/\\evil.example"])(
    "renders a link to %s as its text only",
    (href) => {
      const { html } = renderMarkdown(`[click](<${href}>)`, noLinks);
      expect(html).not.toContain("<a");
      expect(html).toContain("click");
    },
  );

  it("keeps in-page anchors", () => {
    const { html } = renderMarkdown("[below](#other-identity-providers)", noLinks);
    expect(html).toContain('<a href="#other-identity-providers">below</a>');
  });

  it("maps relative links through the resolver and shows unmapped ones as text", () => {
    const resolve = (href: string) => (href.startsWith("okta.md") ? `/guides/okta${href.slice("okta.md".length)}` : null);
    const { html } = renderMarkdown("[Okta](okta.md#group-push) and [SCIM](../scim.md)", resolve);
    expect(html).toContain('<a href="/guides/okta#group-push">Okta</a>');
    expect(html).toContain("and SCIM");
    expect(html).not.toContain("scim.md");
  });

  it("escapes quotes in link targets and titles", () => {
    const { html } = renderMarkdown('[x](https://example.com/?a="b" "say \\"hi\\"")', noLinks);
    expect(html).toContain('<a href="https://example.com/?a=&quot;b&quot;" title="say &quot;hi&quot;" target="_blank"');
  });

  it("renders images as their alt text, never loading them", () => {
    const { html } = renderMarkdown("![The SCIM Integration page](../screenshots/integration.png)", noLinks);
    expect(html).not.toContain("<img");
    expect(html).toContain("The SCIM Integration page");
  });

  it("gives headings GitHub's ids, numbering repeated ones, and lists them", () => {
    const { html, headings } = renderMarkdown("## 1. Prepare Muster\n\n### `401` errors & fixes\n\n## Notes\n\n## Notes\n", noLinks);
    expect(html).toContain('<h2 id="1-prepare-muster">1. Prepare Muster</h2>');
    expect(html).toContain('<h3 id="401-errors--fixes"><code>401</code> errors &amp; fixes</h3>');
    expect(headings.map((heading) => heading.id)).toEqual(["1-prepare-muster", "401-errors--fixes", "notes", "notes-1"]);
    expect(headings[1]).toEqual({ id: "401-errors--fixes", text: "401 errors & fixes", depth: 3 });
  });
});

describe("headingId", () => {
  it("lower-cases, drops punctuation and turns spaces into hyphens", () => {
    expect(headingId("Put Muster on a public HTTPS address")).toBe("put-muster-on-a-public-https-address");
    expect(headingId("Test Connection fails")).toBe("test-connection-fails");
  });
});

describe("escapeHtml", () => {
  it("escapes the five markup characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
