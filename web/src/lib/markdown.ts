import { Marked, type Tokens } from "marked";

/** A heading of a rendered guide, for its table of contents. */
export interface GuideHeading {
  readonly id: string;
  readonly text: string;
  readonly depth: number;
}

/** A guide turned into HTML that is safe to insert into the console. */
export interface RenderedMarkdown {
  readonly html: string;
  readonly headings: readonly GuideHeading[];
}

/** Maps a relative link of the markdown (e.g. "okta.md#group-push") to a console URL, or null to show its text only. */
export type LinkResolver = (href: string) => string | null;

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]!);
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => Object.entries(escapes).find(([, value]) => value === entity)?.[0] ?? entity);
}

/** The id GitHub gives a heading, so that links such as `entra-id.md#replacing-the-token` keep working. */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/**
 * Renders our markdown guides (docs/idp) with GitHub-flavoured markdown, treating them as untrusted
 * all the same: raw HTML is shown as text (comments are dropped), links keep only http(s) and mailto
 * addresses, in-page anchors and the relative links `resolveLink` maps, and images become their alt text.
 */
export function renderMarkdown(markdown: string, resolveLink: LinkResolver): RenderedMarkdown {
  const headings: GuideHeading[] = [];
  const used = new Map<string, number>();
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        if (/^\s*<!--[\s\S]*?-->\s*$/.test(text)) return "";
        return escapeHtml(text);
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const plain = unescapeHtml(this.parser.parseInline(tokens, this.parser.textRenderer));
        const base = headingId(plain);
        const seen = used.get(base) ?? 0;
        used.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen}`;
        headings.push({ id, text: plain, depth });
        return `<h${depth} id="${escapeHtml(id)}">${inner}</h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const text = this.parser.parseInline(tokens);
        const target = safeHref(href, resolveLink);
        if (target === null) return text;
        const titleAttribute = title ? ` title="${escapeHtml(title)}"` : "";
        const external = /^(https?|mailto):/i.test(target) ? ' target="_blank" rel="noopener noreferrer"' : "";
        return `<a href="${escapeHtml(target)}"${titleAttribute}${external}>${text}</a>`;
      },
      image({ text }: Tokens.Image) {
        return escapeHtml(text);
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { html, headings };
}

function safeHref(href: string, resolveLink: LinkResolver): string | null {
  const trimmed = href.trim();
  if (trimmed.startsWith("#")) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return /^(https?|mailto):/i.test(trimmed) ? trimmed : null;
  // Protocol-relative and backslash forms reach other hosts; anything else relative must be mapped.
  if (trimmed.startsWith("//") || trimmed.includes("\\")) return null;
  return resolveLink(trimmed);
}
