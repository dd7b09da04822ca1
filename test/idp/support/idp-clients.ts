import { randomUUID } from "node:crypto";
import type { IdpProfile } from "../../../src/replay/profiles.js";
import { rawRequest, type RawResponse } from "./raw-client.js";

export { entraProfile, oktaProfile, type IdpProfile } from "../../../src/replay/profiles.js";

/** PingFederate's SCIM connector sends application/json (GH-HARNESS). */
export const pingProfile: IdpProfile = {
  name: "PingFederate",
  headers: { accept: "application/json", "user-agent": "PingFederate" },
  contentType: "application/json",
  authorization: (token) => `Bearer ${token}`,
};

/** A client bound to one SCIM base URL and token, speaking as one IdP. */
export class IdpClient {
  readonly profile: IdpProfile;
  readonly baseUrl: string;
  readonly token: string;

  constructor(profile: IdpProfile, baseUrl: string, token: string) {
    this.profile = profile;
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Sends a request under the base URL; `body` is serialised as the IdP would. */
  send(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { ...this.profile.headers, authorization: this.profile.authorization(this.token), ...extraHeaders };
    if (body !== undefined) headers["content-type"] = this.profile.contentType;
    return rawRequest(method, `${this.baseUrl}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  get(path: string, extraHeaders?: Record<string, string>): Promise<RawResponse> {
    return this.send("GET", path, undefined, extraHeaders);
  }

  /** GET /{resource}?filter=… with the filter form-encoded as Entra sends it (`+` for spaces, %22 for quotes, ENT-10). */
  filter(resource: "Users" | "Groups", filter: string, extra = ""): Promise<RawResponse> {
    const encoded = encodeURIComponent(filter).replace(/%20/g, "+");
    return this.get(`/${resource}?${extra ? `${extra}&` : ""}filter=${encoded}`);
  }

  /** The same client with another token (wrong-token probes). */
  withToken(token: string): IdpClient {
    return new IdpClient(this.profile, this.baseUrl, token);
  }

  /** The same client speaking as another profile. */
  as(profile: IdpProfile): IdpClient {
    return new IdpClient(profile, this.baseUrl, this.token);
  }
}

/** A PatchOp message. */
export function patchOp(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}

/** A random GUID, as Entra's Test Connection uses for its probe (ENT-10). */
export function randomGuid(): string {
  return randomUUID();
}
