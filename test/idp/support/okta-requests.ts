import { randomBytes } from "node:crypto";
import type { IdpClient, IdpProfile } from "./idp-clients.js";
import type { RawResponse } from "./raw-client.js";

export const coreUser = "urn:ietf:params:scim:schemas:core:2.0:User";
export const coreGroup = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const errorMessage = "urn:ietf:params:scim:api:messages:2.0:Error";

/** A person as Okta's profile holds them: the values Okta maps into a SCIM User. */
export interface OktaPerson {
  readonly userName: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Okta's own user id (`00u…`), sent as externalId. */
  readonly oktaId?: string;
}

/** Okta's create body (OKT-12): password, `groups: []`, externalId, locale, a primary work email, active. */
export function oktaCreateUserBody(person: OktaPerson, password = `Pw-${randomBytes(9).toString("base64url")}`): Record<string, unknown> {
  return {
    schemas: [coreUser],
    userName: person.userName,
    name: { givenName: person.givenName, familyName: person.familyName },
    emails: [{ primary: true, value: person.userName, type: "work" }],
    displayName: `${person.givenName} ${person.familyName}`,
    locale: "en-US",
    externalId: person.oktaId ?? oktaUserId(),
    groups: [],
    password,
    active: true,
  };
}

/** Group Push's create body (OKT-21). */
export function oktaCreateGroupBody(displayName: string): Record<string, unknown> {
  return { schemas: [coreGroup], displayName, members: [] };
}

/** An Okta user id such as `00u8k2abcXYZ`, which Okta sends as externalId. */
export function oktaUserId(): string {
  return `00u${randomBytes(7).toString("hex")}`;
}

/**
 * A list request as Okta puts it on the wire (OKT-10): the filter percent-encoded with %20 for spaces,
 * %22 for quotes and %40 for `@`, followed by Okta's constant `startIndex=1&count=100`.
 */
export function oktaFilterPath(resource: "Users" | "Groups", filter: string, paging = "startIndex=1&count=100"): string {
  return `/${resource}?filter=${encodeURIComponent(filter)}${paging ? `&${paging}` : ""}`;
}

/** Okta's existence check: GET /Users?filter=userName eq "…"&startIndex=1&count=100. */
export function oktaFindUser(client: IdpClient, userName: string): Promise<RawResponse> {
  return client.get(oktaFilterPath("Users", `userName eq "${userName}"`));
}

/** Group Push's existence check: GET /Groups?filter=displayName eq "…" (OKT-20). */
export function oktaFindGroup(client: IdpClient, displayName: string): Promise<RawResponse> {
  return client.get(oktaFilterPath("Groups", `displayName eq "${displayName}"`, ""));
}

/** Creates a user the way Okta does and returns the 201 body; throws when Muster does not answer 201. */
export async function oktaProvisionUser(client: IdpClient, person: OktaPerson): Promise<Record<string, any>> {
  const response = await client.send("POST", "/Users", oktaCreateUserBody(person));
  if (response.status !== 201) throw new Error(`POST /Users for ${person.userName} answered ${response.status}: ${response.text}`);
  return response.body;
}

/** Pushes a group the way Okta does and returns the 201 body; throws when Muster does not answer 201. */
export async function oktaPushGroup(client: IdpClient, displayName: string): Promise<Record<string, any>> {
  const response = await client.send("POST", "/Groups", oktaCreateGroupBody(displayName));
  if (response.status !== 201) throw new Error(`POST /Groups for ${displayName} answered ${response.status}: ${response.text}`);
  return response.body;
}

/** Headers on the GET steps of Okta's Runscope/BlazeMeter spec test (OKTA-SPEC17), Content-Type included although there is no body. */
export const runscopeGetHeaders: Record<string, string> = {
  "accept-charset": "utf-8",
  "content-type": "application/scim+json; charset=utf-8",
  accept: "application/scim+json",
  "user-agent": "OKTA SCIM Integration",
};

/** The POST steps of the spec test: Content-Type application/json, a SCIM Accept, no User-Agent (OKTA-SPEC17). */
export const runscopePostProfile: IdpProfile = {
  name: "Okta SCIM 2.0 spec test (Runscope)",
  headers: { accept: "application/scim+json; charset=utf-8" },
  contentType: "application/json",
  authorization: (token) => `Bearer ${token}`,
};

/** Member ids of a group read back by GET, sorted. */
export async function memberIdsOf(client: IdpClient, groupId: string): Promise<string[]> {
  const response = await client.get(`/Groups/${groupId}`);
  if (response.status !== 200) throw new Error(`GET /Groups/${groupId} answered ${response.status}: ${response.text}`);
  return ((response.body.members ?? []) as Array<{ value: string }>).map((member) => member.value).sort();
}

/** Group ids a user belongs to, read back by GET, sorted. */
export async function groupIdsOf(client: IdpClient, userId: string): Promise<string[]> {
  const response = await client.get(`/Users/${userId}`);
  if (response.status !== 200) throw new Error(`GET /Users/${userId} answered ${response.status}: ${response.text}`);
  return ((response.body.groups ?? []) as Array<{ value: string }>).map((group) => group.value).sort();
}
