import { sendRequest, type ClientResponse } from "./http-client.js";
import type { IdpProfile } from "./profiles.js";

/** A response that is not what the identity provider needs; the message says which step and why. */
export class ReplayMismatch extends Error {
  override readonly name = "ReplayMismatch";
}

/**
 * Sends requests as one identity provider to one SCIM base URL and checks each answer the way that
 * provider would: the status it needs and, for errors, a SCIM Error body. Counts requests.
 */
export class ReplaySession {
  readonly profile: IdpProfile;
  readonly baseUrl: string;
  private readonly token: string;
  requests = 0;

  constructor(profile: IdpProfile, baseUrl: string, token: string) {
    this.profile = profile;
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.token = token;
  }

  /** Sends one request and fails unless the status is one of `expected`. */
  async call(step: string, method: string, path: string, body: unknown, expected: number | readonly number[]): Promise<ClientResponse> {
    const headers: Record<string, string> = { ...this.profile.headers, authorization: this.profile.authorization(this.token) };
    if (body !== undefined) headers["content-type"] = this.profile.contentType;
    this.requests += 1;
    const response = await sendRequest(method, `${this.baseUrl}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
    const allowed = typeof expected === "number" ? [expected] : expected;
    if (!allowed.includes(response.status)) {
      const detail = response.body?.detail ? ` — ${response.body.detail}` : response.text ? ` — ${response.text.slice(0, 300)}` : "";
      throw new ReplayMismatch(`${step}: ${method} ${path} answered ${response.status}, ${this.profile.name} needs ${allowed.join(" or ")}${detail}`);
    }
    if (response.status >= 400 && !response.body?.schemas?.includes("urn:ietf:params:scim:api:messages:2.0:Error")) {
      throw new ReplayMismatch(`${step}: ${method} ${path} answered ${response.status} without a SCIM Error body`);
    }
    if (response.status !== 204 && response.status !== 304 && !String(response.headers["content-type"] ?? "").startsWith("application/scim+json")) {
      throw new ReplayMismatch(`${step}: ${method} ${path} answered with Content-Type ${String(response.headers["content-type"])}, not application/scim+json`);
    }
    return response;
  }

  /** GET with a filter encoded the way IdPs send it (`+` for spaces). */
  filter(step: string, resource: "Users" | "Groups", filter: string, extra = ""): Promise<ClientResponse> {
    const query = `${extra ? `${extra}&` : ""}filter=${encodeURIComponent(filter).replace(/%20/g, "+")}`;
    return this.call(step, "GET", `/${resource}?${query}`, undefined, 200);
  }
}

/** Fails a step unless the condition holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ReplayMismatch(message);
}
