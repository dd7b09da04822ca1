import { useEffect, useMemo, type MouseEvent } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { CopyField } from "../components/copy-field";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useTenant } from "../hooks/use-tenant";
import { guideLinkResolver, guides } from "../lib/guides";
import { renderMarkdown } from "../lib/markdown";

const basename = import.meta.env.BASE_URL.replace(/\/$/, "");

/** An identity provider setup guide from docs/idp, rendered in the console next to this tenant's base URL. */
export function GuidePage() {
  const tenant = useTenant();
  const { guideId = "" } = useParams();
  const guide = guides.find((candidate) => candidate.id === guideId);
  useDocumentTitle(guide?.title ?? "Guide", tenant.name);
  const navigate = useNavigate();
  const location = useLocation();
  const integration = `/tenants/${encodeURIComponent(tenant.slug)}/integration`;

  const rendered = useMemo(() => {
    if (!guide) return null;
    return renderMarkdown(guide.markdown, guideLinkResolver((id) => `${basename}${integration}/guides/${id}`));
  }, [guide, integration]);

  useEffect(() => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
  }, [guideId, location.hash]);

  // Links between guides stay inside the console instead of reloading the page.
  const followInternalLinks = (event: MouseEvent) => {
    const anchor = (event.target as HTMLElement).closest("a");
    if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = anchor.getAttribute("href") ?? "";
    if (href.startsWith(`${basename}/`)) {
      event.preventDefault();
      void navigate(href.slice(basename.length));
    }
  };

  if (!guide || !rendered) {
    return (
      <div className="alert alert-warning" role="alert">
        <p className="alert-title">There is no guide “{guideId}”</p>
        <p>
          Go back to <Link to={integration}>SCIM Integration</Link>.
        </p>
      </div>
    );
  }

  const contents = rendered.headings.filter((heading) => heading.depth === 2);
  return (
    <div className="guide">
      <aside className="guide-aside">
        <p>
          <Link to={integration}>← SCIM Integration</Link>
        </p>
        <nav aria-label="Guides" className="guide-nav">
          <h2 className="guide-nav-title">Guides</h2>
          <ul>
            {guides.map((other) => (
              <li key={other.id}>
                <Link to={`${integration}/guides/${other.id}`} aria-current={other.id === guide.id ? "page" : undefined}>
                  {other.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {contents.length > 0 && (
          <nav aria-label="On this page" className="guide-nav">
            <h2 className="guide-nav-title">On this page</h2>
            <ul>
              {contents.map((heading) => (
                <li key={heading.id}>
                  <a href={`#${heading.id}`}>{heading.text}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </aside>
      <div className="guide-main">
        <div className="card guide-tenant">
          <p>
            For the tenant <strong>{tenant.name}</strong>, use this base URL wherever the guide shows <code>https://scim.example.com/scim/v2/acme</code>, and
            create the token on the <Link to={integration}>SCIM Integration</Link> page (<em>Add token</em>) instead of with <code>npx muster tokens create</code>.
          </p>
          <CopyField label="SCIM base URL" hideLabel value={tenant.scimBaseUrl} what="SCIM base URL" />
        </div>
        {/* The HTML comes from renderMarkdown, which escapes raw HTML and keeps only safe links. */}
        <article className="markdown" onClick={followInternalLinks} dangerouslySetInnerHTML={{ __html: rendered.html }} />
      </div>
    </div>
  );
}
