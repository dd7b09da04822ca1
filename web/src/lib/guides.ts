import entraId from "../../../docs/idp/entra-id.md?raw";
import okta from "../../../docs/idp/okta.md?raw";
import others from "../../../docs/idp/README.md?raw";

/** A setup guide from docs/idp, bundled into the console at build time. */
export interface Guide {
  /** In the console URL: …/integration/guides/{id}. */
  readonly id: string;
  readonly title: string;
  /** The link text on the SCIM Integration page. */
  readonly linkText: string;
  /** The file in docs/idp, so links between guides can be followed. */
  readonly file: string;
  readonly markdown: string;
}

/** The guides the SCIM Integration page links to. */
export const guides: readonly Guide[] = [
  { id: "entra-id", title: "Microsoft Entra ID", linkText: "Microsoft Entra ID", file: "entra-id.md", markdown: entraId },
  { id: "okta", title: "Okta", linkText: "Okta", file: "okta.md", markdown: okta },
  { id: "other", title: "Connecting identity providers", linkText: "Other identity providers", file: "README.md", markdown: others },
];

/** Maps a link inside a guide ("okta.md#group-push") to the console page of that guide, or null for files the console does not show. */
export function guideLinkResolver(guideUrl: (id: string) => string): (href: string) => string | null {
  return (href) => {
    const [path = "", anchor] = href.split("#", 2);
    const guide = guides.find((candidate) => candidate.file === path || `./${candidate.file}` === path);
    if (!guide) return null;
    return anchor === undefined ? guideUrl(guide.id) : `${guideUrl(guide.id)}#${anchor}`;
  };
}
