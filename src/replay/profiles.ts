/** How one identity provider talks HTTP: the headers it sends, and how it sends the token. */
export interface IdpProfile {
  readonly name: string;
  /** Headers on every request besides Authorization and Content-Type. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly authorization: (token: string) => string;
}

/** Microsoft Entra ID provisioning: no Accept, no User-Agent (ENT-03); SCIM JSON bodies with charset. */
export const entraProfile: IdpProfile = {
  name: "Microsoft Entra ID",
  headers: {},
  contentType: "application/scim+json; charset=utf-8",
  authorization: (token) => `Bearer ${token}`,
};

/** Okta's SCIM client (OKT-02). */
export const oktaProfile: IdpProfile = {
  name: "Okta",
  headers: { "user-agent": "Okta SCIM Client 1.0.0", accept: "application/scim+json" },
  contentType: "application/scim+json",
  authorization: (token) => `Bearer ${token}`,
};
