import type { TargetErrorKind } from "./target-error.js";

/** What a recommended fix depends on. */
export interface FixFacts {
  readonly kind: TargetErrorKind;
  readonly status?: number;
  readonly scimType?: string;
  /** Network error code or `timeout`, `privateAddress`, `plainHttp`, `redirect`, `certificate`, `tooLarge`, `filterIgnored`. */
  readonly code?: string;
  /** True when the path names one object (`/Users/{id}`), false for an endpoint (`/Users`, `/ServiceProviderConfig`). */
  readonly objectPath?: boolean;
}

const byScimType: Readonly<Record<string, string>> = {
  uniqueness: "An object with the same unique value (userName, displayName) already exists in the target: Muster adopts it when it matches on that attribute and is in scope; otherwise change the source value or the matching attributes.",
  invalidValue: "The target refused a value: check this app's attribute mappings (required attributes present, formats and allowed values the target accepts).",
  invalidSyntax: "The target could not read the request: check the attribute mappings for values of the wrong type, and report it if the target wants a dialect of SCIM.",
  invalidFilter: "The target cannot filter on this attribute: choose matching attributes the target can filter on (userName, externalId, displayName usually work).",
  invalidPath: "The target does not know an attribute path Muster sent: check the target attribute names in this app's mappings.",
  noTarget: "The target found nothing at an attribute path Muster sent: check the target attribute names in this app's mappings.",
  mutability: "The request changes an attribute the target treats as read-only or immutable: remove it from the mappings, or apply it on create only.",
  tooMany: "The target limits how much one request may change: Muster lowers this app's changes per PATCH and retries.",
  sensitive: "The target refused sensitive data in this request: remove password-like attributes from the mappings.",
  invalidVers: "The target refused the version Muster sent: report it; Muster does not send If-Match.",
};

/** A short recommended fix, in words, for a classified failure. */
export function recommendedFix(facts: FixFacts): string {
  switch (facts.kind) {
    case "throttled":
      return "The target is limiting Muster's rate: Muster waits as asked and lowers this app's concurrency. If it persists, ask the target's owner for a higher rate limit.";
    case "transient":
      return transientFix(facts.code, facts.status);
    case "auth":
      return facts.status === 403
        ? "The target accepted the Secret Token but does not allow this operation: grant the token's account provisioning rights in the target."
        : "The Secret Token was refused: create a new token in the target app and save it as this app's Secret Token.";
    case "notFound":
      return facts.objectPath
        ? "The object no longer exists in the target: Muster matches it again or creates it anew."
        : "Check the Tenant URL: it must be the target's SCIM base URL (the part before /Users), not a web page.";
    case "conflict":
      return byScimType[facts.scimType ?? "uniqueness"] ?? byScimType.uniqueness!;
    case "rejected":
      return rejectedFix(facts.status, facts.scimType);
    case "invalidResponse":
      if (facts.code === "tooLarge") return "The target's answer was larger than the response size limit: raise the limit if the target is trusted, or report the target's behaviour.";
      if (facts.code === "filterIgnored") return "The target ignores filters, so Muster cannot match objects safely: choose matching attributes the target filters on, or ask its owner to support eq filters.";
      return "The target's answer is not the SCIM answer expected: check that the Tenant URL is the SCIM base URL, not a web page or a login page.";
    case "refused":
      return refusedFix(facts.code);
  }
}

function transientFix(code: string | undefined, status: number | undefined): string {
  if (code === "timeout") return "The target did not answer in time: Muster retries; if it persists, check the target's health or raise the request timeout.";
  if (code === "ECONNREFUSED") return "Nothing accepted the connection: check the Tenant URL's host and port, and that the target is running.";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The Tenant URL's host name does not resolve: check its spelling and the server's DNS.";
  if (status !== undefined) return "The target failed on its side: Muster retries; if it persists, check the target's status or logs.";
  return "The connection to the target failed: Muster retries; if it persists, check the network between Muster and the target.";
}

function rejectedFix(status: number | undefined, scimType: string | undefined): string {
  if (scimType !== undefined && byScimType[scimType] !== undefined) return byScimType[scimType];
  if (status === 413) return "The request was too large for the target: Muster lowers this app's changes per PATCH; large objects may need fewer mapped attributes.";
  if (status === 422) return "The target could not process the object (often a missing required attribute or a license limit): read the target's detail and fix the mappings or the target.";
  if (status === 405 || status === 501) return "The target does not support this operation: check which operations it supports (PATCH, DELETE) and this app's settings.";
  return "The target refused the request: read the target's detail and adjust this app's attribute mappings or the source object.";
}

function refusedFix(code: string | undefined): string {
  switch (code) {
    case "privateAddress":
      return "The Tenant URL leads to a private, loopback or otherwise internal address, which Muster refuses by default: use the target's public URL, or, for a target inside your network, start Muster with MUSTER_APPS_ALLOW_PRIVATE=true.";
    case "plainHttp":
      return "The Tenant URL uses plain http to a public address, which would send the Secret Token unencrypted: use https.";
    case "redirect":
      return "The target answered with a redirect, which Muster does not follow (it would carry the Secret Token elsewhere): if you trust the new location, use it as the Tenant URL.";
    case "certificate":
      return "The target's TLS certificate could not be verified (expired, self-signed, or for another name): fix the certificate on the target.";
    default:
      return "Muster refused to send this request: check the Tenant URL.";
  }
}
