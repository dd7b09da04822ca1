import { randomUUID } from "node:crypto";
import { describeFeatures, readServiceProviderConfig, type ServiceProviderFeatures } from "./read-service-provider-config.js";
import type { ResourceEndpoint, ScimTargetClient } from "./scim-target-client.js";
import { TargetError } from "./target-error.js";

/** One check of Test Connection, in plain words. */
export interface ConnectionProbe {
  /** `reachable`, `serviceProviderConfig`, `authenticated`, `userFilter:<attribute>`, `patch`, `groupFilter:<attribute>`, `unknownUser`. */
  readonly id: string;
  readonly ok: boolean;
  /** Whether the overall result needs this probe to pass. */
  readonly required: boolean;
  /** Passed, but with a reservation worth reading (no ServiceProviderConfig, PATCH support unknown). */
  readonly warning?: boolean;
  readonly summary: string;
  /** The target's own words, when it said something. */
  readonly detail?: string;
  readonly fix?: string;
}

/** The outcome of Test Connection. */
export interface ConnectionReport {
  /** True when every required probe passed. */
  readonly ok: boolean;
  readonly probes: readonly ConnectionProbe[];
  /** What the ServiceProviderConfig said, when there was one (for the app's stored capability profile). */
  readonly features?: ServiceProviderFeatures;
}

/** What Test Connection checks. */
export interface TestConnectionOptions {
  /** The app's user matching attributes, in precedence order (default userName, externalId). */
  readonly userMatching?: readonly string[];
  /** The app's group matching attributes (default displayName). */
  readonly groupMatching?: readonly string[];
  readonly signal?: AbortSignal;
}

/**
 * Test Connection: checks, with GET requests only (nothing is ever written to the target), that the
 * target is reachable at an allowed address, that it accepts the Secret Token, what its
 * ServiceProviderConfig says (absent is a warning), that it filters Users and Groups on each matching
 * attribute (a random `muster-probe-…` value must answer an empty ListResponse), that it supports PATCH,
 * and that an unknown user id answers 404. Each probe is reported in words with a fix when it fails.
 */
export async function testConnection(client: ScimTargetClient, options: TestConnectionOptions = {}): Promise<ConnectionReport> {
  const userMatching = options.userMatching?.length ? options.userMatching : ["userName", "externalId"];
  const groupMatching = options.groupMatching?.length ? options.groupMatching : ["displayName"];
  const call = { signal: options.signal };
  const probes: ConnectionProbe[] = [];
  const host = client.baseUrl.host;

  // The first request tells whether the target can be reached at all.
  const config = await attempt(client.getServiceProviderConfig(call));
  if (config instanceof TargetError && config.status === undefined) {
    probes.push({ id: "reachable", ok: false, required: true, summary: `Could not reach ${host}: ${config.summary}.`, ...wordsOf(config) });
    const skipped = (id: string, required: boolean): ConnectionProbe => ({ id, ok: false, required, summary: `${probeSubject(id)}: not checked, the target could not be reached.` });
    probes.push(skipped("serviceProviderConfig", false), skipped("authenticated", true), ...probesAfterAuthentication(userMatching, groupMatching).map(([id, required]) => skipped(id, required)));
    return { ok: false, probes };
  }
  probes.push({ id: "reachable", ok: true, required: true, summary: reachedWords(client) });

  let features: ServiceProviderFeatures | undefined;
  if (config instanceof TargetError) {
    const absent = config.kind === "notFound";
    probes.push({
      id: "serviceProviderConfig",
      ok: true,
      required: false,
      warning: true,
      summary: absent
        ? "The target has no /ServiceProviderConfig. It is optional in practice; the checks below find out what Muster needs."
        : `Could not read /ServiceProviderConfig (${summaryOf(config)}); the checks below find out what Muster needs.`,
      ...(absent ? {} : wordsOf(config)),
    });
  } else {
    features = readServiceProviderConfig(config.value);
    probes.push({ id: "serviceProviderConfig", ok: true, required: false, summary: `Read /ServiceProviderConfig: ${describeFeatures(features)}.` });
  }

  const probeValue = `muster-probe-${randomUUID()}`;
  const [firstUserAttribute, ...otherUserAttributes] = userMatching as [string, ...string[]];
  const firstLookup = await attempt(client.findResources("Users", firstUserAttribute, probeValue, { ...call, count: 1 }));
  const authenticated = authenticationProbe(firstLookup);
  probes.push(authenticated);
  if (!authenticated.ok) {
    // Every later probe would fail the same way and bury the cause.
    const reason = firstLookup instanceof TargetError && firstLookup.kind === "auth" ? "the Secret Token was refused" : "users could not be looked up";
    for (const [id, required] of probesAfterAuthentication(userMatching, groupMatching)) probes.push({ id, ok: false, required, summary: `${probeSubject(id)}: not checked, ${reason}.` });
    return { ok: false, probes, ...(features ? { features } : {}) };
  }
  probes.push(filterProbe("Users", firstUserAttribute, firstLookup));
  for (const attribute of otherUserAttributes) {
    probes.push(filterProbe("Users", attribute, await attempt(client.findResources("Users", attribute, probeValue, { ...call, count: 1 }))));
  }
  probes.push(patchProbe(features));
  for (const attribute of groupMatching) {
    probes.push(filterProbe("Groups", attribute, await attempt(client.findResources("Groups", attribute, probeValue, { ...call, count: 1 }))));
  }
  probes.push(unknownUserProbe(await attempt(client.getResource("Users", randomUUID(), call))));

  return { ok: probes.every((probe) => probe.ok || !probe.required), probes, ...(features ? { features } : {}) };
}

/** Ids of the probes after `authenticated`, in order, with whether each is required. */
/** What a probe checks, in words, for a probe that could not run ("Filtering users on userName: not checked, …"). */
function probeSubject(id: string): string {
  const [kind, attribute] = id.split(":", 2);
  switch (kind) {
    case "serviceProviderConfig":
      return "Reading /ServiceProviderConfig";
    case "authenticated":
      return "Authentication with the Secret Token";
    case "userFilter":
      return `Filtering users on ${attribute}`;
    case "groupFilter":
      return `Filtering groups on ${attribute}`;
    case "patch":
      return "PATCH support";
    case "unknownUser":
      return "A lookup of an unknown user";
    default:
      return id;
  }
}

function probesAfterAuthentication(userMatching: readonly string[], groupMatching: readonly string[]): [string, boolean][] {
  return [
    ...userMatching.map((attribute): [string, boolean] => [`userFilter:${attribute}`, true]),
    ["patch", true],
    ...groupMatching.map((attribute): [string, boolean] => [`groupFilter:${attribute}`, true]),
    ["unknownUser", false],
  ];
}

/** Runs a call, turning a TargetError into a value (anything else, such as an abort, still throws). */
async function attempt<T>(call: Promise<T>): Promise<T | TargetError> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TargetError) return error;
    throw error;
  }
}

/** The failure in words, with the wait the target asked for when it named one. */
function summaryOf(error: TargetError): string {
  return error.retryAfterMs === undefined ? error.summary : `${error.summary} and asked Muster to wait ${Math.ceil(error.retryAfterMs / 1000)} s`;
}

function wordsOf(error: TargetError): { detail?: string; fix: string } {
  return { ...(error.detail !== undefined ? { detail: error.detail } : {}), fix: error.fix };
}

function reachedWords(client: ScimTargetClient): string {
  const addresses = client.connectedAddresses.map(({ address }) => address);
  const at = addresses.length > 0 && addresses[0] !== client.baseUrl.hostname.replace(/^\[|\]$/g, "") ? ` (${addresses.join(", ")})` : "";
  const over = client.baseUrl.protocol === "https:" ? "over HTTPS, certificate verified" : "over plain HTTP (allowed for internal addresses only)";
  return `Reached ${client.baseUrl.host}${at} ${over}.`;
}

function authenticationProbe(lookup: unknown): ConnectionProbe {
  const accepted: ConnectionProbe = { id: "authenticated", ok: true, required: true, summary: "The target accepted the Secret Token." };
  if (!(lookup instanceof TargetError)) return accepted;
  if (lookup.kind === "auth") {
    const summary = lookup.status === 403 ? "The Secret Token was accepted but is not allowed to read users" : "The Secret Token was refused";
    return { id: "authenticated", ok: false, required: true, summary: `${summary}: the target answered ${lookup.status}${lookup.detail ? ` (${lookup.detail.replace(/[.!]+$/, "")})` : ""}.`, ...wordsOf(lookup) };
  }
  // A refused filter or a list that ignored it came from past the target's token check; a throttle or an outage did not.
  if (lookup.kind === "rejected" || lookup.code === "filterIgnored") return accepted;
  return { id: "authenticated", ok: false, required: true, summary: `Could not check the Secret Token: ${summaryOf(lookup)}.`, ...wordsOf(lookup) };
}

function filterProbe(endpoint: ResourceEndpoint, attribute: string, lookup: unknown): ConnectionProbe {
  const id = `${endpoint === "Users" ? "userFilter" : "groupFilter"}:${attribute}`;
  const what = `${endpoint} by ${attribute}`;
  const ignored = {
    id,
    ok: false,
    required: true,
    fix: "Matching needs working filters, or Muster would link the wrong objects: choose other matching attributes, or ask the target's owner to support eq filters.",
  };
  if (lookup instanceof TargetError) {
    if (lookup.code === "filterIgnored") return { ...ignored, summary: `The target ignores filters on ${attribute}: it ${lookup.summary}.` };
    if (lookup.kind === "auth") return { id, ok: false, required: true, summary: `Could not look up ${what}: the Secret Token was refused.`, fix: lookup.fix };
    const filterRefused = lookup.kind === "rejected" && (lookup.scimType === "invalidFilter" || lookup.status === 400 || lookup.status === 501);
    const summary = filterRefused
      ? `The target cannot look up ${what}: it refused the filter ${attribute} eq "…" (${lookup.summary}).`
      : `Looking up ${what} failed: ${summaryOf(lookup)}.`;
    const fix = filterRefused ? `Choose matching attributes the target can filter on, or ask its owner to support ${attribute} eq filters.` : lookup.fix;
    return { id, ok: false, required: true, summary, ...(lookup.detail !== undefined ? { detail: lookup.detail } : {}), fix };
  }
  const { totalResults } = (lookup as { value: { totalResults: number } }).value;
  if (totalResults !== 0) return { ...ignored, summary: `The target ignores filters on ${attribute}: it answered ${totalResults} ${endpoint} for a value nobody has.` };
  return { id, ok: true, required: true, summary: `Looking up ${what} works (an unknown value answered an empty list).` };
}

function patchProbe(features: ServiceProviderFeatures | undefined): ConnectionProbe {
  if (features?.patch === true) return { id: "patch", ok: true, required: true, summary: "The target supports PATCH (per its ServiceProviderConfig)." };
  if (features?.patch === false) {
    return {
      id: "patch",
      ok: false,
      required: true,
      summary: "The target says it does not support PATCH.",
      fix: "Muster sends PATCH for updates, disabling and group members; check whether the target really lacks PATCH (some misreport it) or use a target that supports it.",
    };
  }
  return { id: "patch", ok: true, required: true, warning: true, summary: "PATCH support is unknown (the target does not say); the first update will show it." };
}

function unknownUserProbe(lookup: unknown): ConnectionProbe {
  if (lookup instanceof TargetError && lookup.kind === "notFound") return { id: "unknownUser", ok: true, required: false, summary: "Asking for a user id that does not exist answers 404, as SCIM requires." };
  const answered = lookup instanceof TargetError ? lookup.summary : "answered 200 with a user";
  return {
    id: "unknownUser",
    ok: true,
    required: false,
    warning: true,
    summary: `Asking for a user id that does not exist ${answered} instead of 404; Muster relies on 404 to notice objects deleted in the target.`,
    ...(lookup instanceof TargetError && lookup.detail !== undefined ? { detail: lookup.detail } : {}),
  };
}
