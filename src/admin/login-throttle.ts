import { isIPv4, isIPv6 } from "node:net";
import { hashSecret } from "../provisioning/tokens.js";
import { foldCase } from "../scim/fold.js";
import type { StoreSession } from "../store/store.js";
import { adminError } from "./admin-error.js";

/** Sign-in throttling: at most 5 failures per email and 20 per client address within 15 minutes. */
export const throttlePolicy = { windowMs: 15 * 60_000, perEmail: 5, perAddress: 20 } as const;

/** The two keys an attempt counts under. */
export interface ThrottleKeys {
  readonly email: string;
  readonly address: string;
}

/**
 * The throttle keys of an attempt: a digest of the case-folded email, and the client address (IPv6 by
 * its /64). The email is hashed because people sometimes type their password into the email field,
 * and a failed attempt must not leave it readable in the database.
 */
export function throttleKeys(email: string, address: string): ThrottleKeys {
  return { email: `email:${hashSecret(foldCase(email.trim()))}`, address: `ip:${addressKey(address)}` };
}

/**
 * Checks both keys and, when neither is over its limit, records the attempt as a failure up front
 * (inside the caller's write transaction), so parallel guesses cannot all slip past the check; a
 * successful attempt is then taken back with `attemptSucceeded`. Throws AdminError `throttled` with the
 * seconds until the oldest counted failure leaves the window.
 */
export async function beginAttempt(session: StoreSession, keys: ThrottleKeys, now: Date): Promise<string> {
  const since = new Date(now.getTime() - throttlePolicy.windowMs);
  const waits = await Promise.all([
    secondsUntilAllowed(session, keys.email, throttlePolicy.perEmail, since, now),
    secondsUntilAllowed(session, keys.address, throttlePolicy.perAddress, since, now),
  ]);
  const wait = Math.max(...waits);
  if (wait > 0) {
    throw adminError("throttled", `Too many failed sign-ins. Try again in ${describeWait(wait)}.`, { retryAfterSeconds: wait });
  }
  await session.loginFailures.deleteBefore(since.toISOString());
  return session.loginFailures.record([keys.email, keys.address], now.toISOString());
}

/** Takes back a successful attempt and forgets the email's earlier failures (the address keeps its count). */
export async function attemptSucceeded(session: StoreSession, keys: ThrottleKeys, attemptId: string): Promise<void> {
  await session.loginFailures.forget([keys.address], attemptId);
  await session.loginFailures.clear(keys.email);
}

async function secondsUntilAllowed(session: StoreSession, key: string, limit: number, since: Date, now: Date): Promise<number> {
  const recent = await session.loginFailures.recent(key, since.toISOString(), limit);
  if (recent.length < limit) return 0;
  // The limit-th newest failure is the one whose leaving the window brings the count below the limit.
  const freesAt = Date.parse(recent[limit - 1]!) + throttlePolicy.windowMs;
  return Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * The part of a client address that identifies one client: an IPv4 address (also when IPv4-mapped), or
 * the /64 prefix of an IPv6 address, since one subscriber usually holds a whole /64.
 */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (!isIPv6(bare)) return bare;
  return `${expandIpv6(bare).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":").flatMap(embeddedIpv4));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}

/** A trailing dotted IPv4 part (`::1.2.3.4`) as its two hex groups. */
function embeddedIpv4(group: string): string[] {
  if (!group.includes(".")) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
