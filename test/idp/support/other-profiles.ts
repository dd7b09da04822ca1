import type { IdpProfile } from "./idp-clients.js";

/**
 * OneLogin's "SCIM Provisioner with SAML (SCIM v2 Core/Enterprise)" (COMPATIBILITY.md §3.1). Its
 * headers are not documented in the sources; the bearer token and SCIM JSON are what its setup asks for.
 */
export const oneLoginProfile: IdpProfile = {
  name: "OneLogin",
  headers: { accept: "application/scim+json" },
  contentType: "application/scim+json",
  authorization: (token) => `Bearer ${token}`,
};

/** JumpCloud's custom SCIM 2.0 integration with a bearer token (§3.3); headers not documented, assumed SCIM JSON. */
export const jumpCloudProfile: IdpProfile = {
  name: "JumpCloud",
  headers: { accept: "application/scim+json" },
  contentType: "application/scim+json",
  authorization: (token) => `Bearer ${token}`,
};

/** Google Workspace auto-provisioning (§3.2); only its `GET /Users?count=1` probe is reported, headers unknown. */
export const googleWorkspaceProfile: IdpProfile = {
  name: "Google Workspace",
  headers: {},
  contentType: "application/json",
  authorization: (token) => `Bearer ${token}`,
};
