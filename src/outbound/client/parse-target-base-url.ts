import { fail, ok, type Result } from "../../scim/result.js";

/**
 * Checks a target's SCIM base URL (Entra's "Tenant URL"): http or https, a host, no user name or password
 * (the token is the credential), no query or fragment (paths are appended to it). Returns the URL with
 * trailing slashes removed from its path, or a sentence saying what is wrong. Whether plain http is
 * acceptable depends on the address and is decided when connecting.
 */
export function parseTargetBaseUrl(text: string): Result<URL, string> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return fail("The Tenant URL is not a valid URL (expected something like https://app.example.com/scim/v2).");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return fail(`The Tenant URL must start with https:// (not ${url.protocol}//).`);
  if (url.hostname === "") return fail("The Tenant URL has no host name.");
  if (url.username !== "" || url.password !== "") return fail("The Tenant URL must not contain a user name or password; the Secret Token is the credential.");
  if (url.search !== "" || url.hash !== "") return fail("The Tenant URL must not have a query (?…) or fragment (#…); give the SCIM base URL only.");
  url.pathname = url.pathname.replace(/\/+$/, "");
  return ok(url);
}
