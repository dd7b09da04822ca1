// The same rule as the server's validateSlug (src/provisioning/tenants.ts): a slug appears in SCIM base URLs.
const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Longest slug the server accepts. */
export const maxSlugLength = 63;

/** Why a tenant slug would be refused, in words, or null when the server will accept it. */
export function slugProblem(slug: string): string | null {
  if (slug === "") return "Enter a slug.";
  if (slug.length > maxSlugLength) return `Use at most ${maxSlugLength} characters.`;
  if (/[A-Z]/.test(slug)) return "Use lower-case letters only.";
  if (!/^[a-z0-9-]+$/.test(slug)) return "Use only lower-case letters, digits and hyphens.";
  if (!slugPattern.test(slug)) return "Start and end with a letter or digit.";
  return null;
}

/** A slug suggested from a tenant name: "Acme Corp." → "acme-corp". */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxSlugLength)
    .replace(/-+$/, "");
}
