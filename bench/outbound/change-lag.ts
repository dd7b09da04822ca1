import type { AppLogEntry } from "../../shared/admin-api.js";
import type { SampleGroup, SampleUser } from "../dataset/manifest.js";
import { HttpSession } from "../load/http-session.js";
import { SeededRandom } from "../random.js";
import { entraMemberPatch, entraUserPatch } from "../scenarios/request-bodies.js";

/** Changes written to the source at a steady rate. */
export interface ChangeJob {
  readonly origin: string;
  readonly token: string;
  /** `/scim/v2/<tenant>` of the source. */
  readonly basePath: string;
  /** Changes per second. */
  readonly rate: number;
  readonly seconds: number;
  /** Users to change, one each (an Entra-style PATCH of title, department and work phone). */
  readonly users: readonly SampleUser[];
  /** The members to add: a group and a user who is not in it yet, one pair per member change. */
  readonly additions: readonly { readonly group: SampleGroup; readonly user: SampleUser }[];
  /** Every `memberEvery`-th change adds a member to a group instead of changing a user. */
  readonly memberEvery: number;
  readonly seed: number;
}

/** One change as the writer saw it. */
export interface SentChange {
  readonly kind: "user" | "member";
  /** The user changed, or the group a member was added to: the source object the engine logs. */
  readonly sourceId: string;
  /** Epoch ms when the request was sent and when its answer arrived. */
  readonly sentAt: number;
  readonly ackAt: number;
  readonly status: number;
}

/**
 * Writes `rate` × `seconds` changes through the source's SCIM API on a fixed schedule (change i is sent
 * at i ÷ rate seconds, whether or not earlier ones were answered, so a slow answer does not slow the
 * rate down), each to an object no other change of the run touches while groups last.
 */
export async function writeChanges(job: ChangeJob): Promise<SentChange[]> {
  const count = Math.max(1, Math.round(job.rate * job.seconds));
  const memberChanges = job.memberEvery > 0 ? Math.floor(count / job.memberEvery) : 0;
  if (job.users.length < count - memberChanges) throw new Error(`${count - memberChanges} user changes need as many sampled users; the manifest has ${job.users.length}`);
  if (job.additions.length < memberChanges) throw new Error(`${memberChanges} member changes need as many additions; got ${job.additions.length}`);
  const session = new HttpSession(job.origin, job.token, 64);
  const rng = new SeededRandom(job.seed);
  const sent: SentChange[] = [];
  const inFlight = new Set<Promise<void>>();
  let userIndex = 0;
  let memberIndex = 0;
  const started = Date.now();
  try {
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / job.rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const member = job.memberEvery > 0 && i % job.memberEvery === job.memberEvery - 1;
      let request: { kind: SentChange["kind"]; sourceId: string; path: string; body: unknown };
      if (member) {
        const { group, user } = job.additions[memberIndex++]!;
        request = { kind: "member", sourceId: group.id, path: `${job.basePath}/Groups/${group.id}`, body: entraMemberPatch("Add", user.id) };
      } else {
        const user = job.users[userIndex++]!;
        request = { kind: "user", sourceId: user.id, path: `${job.basePath}/Users/${user.id}`, body: entraUserPatch(rng) };
      }
      const sentAt = Date.now();
      const done: Promise<void> = session.send("PATCH", request.path, request.body).then(
        (response) => {
          sent.push({ kind: request.kind, sourceId: request.sourceId, sentAt, ackAt: Date.now(), status: response.status });
        },
        () => {
          sent.push({ kind: request.kind, sourceId: request.sourceId, sentAt, ackAt: Date.now(), status: 0 });
        },
      );
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    }
    await Promise.all(inFlight);
  } finally {
    session.close();
  }
  return sent.sort((a, b) => a.sentAt - b.sentAt);
}

/** Lag figures of one rate. */
export interface LagFigures {
  /** Changes the source answered 2xx for, and those it did not. */
  readonly accepted: number;
  readonly refused: number;
  /** Accepted changes for which no provisioning log entry was found. */
  readonly unmatched: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Each accepted change's lag: from the source's 2xx to the provisioning log entry that applied it in
 * the target (the first successful `update` of the user, or `members` of the group, logged at or after
 * the change was sent). The engine stamps an entry when the target's 2xx has arrived, on the same
 * clock as this process, in milliseconds.
 */
export function measureLag(changes: readonly SentChange[], entries: readonly AppLogEntry[]): LagFigures {
  const bySource = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.status !== "success" || (entry.action !== "update" && entry.action !== "members")) continue;
    const key = `${entry.action}:${entry.sourceId}`;
    (bySource.get(key) ?? bySource.set(key, []).get(key)!).push(Date.parse(entry.at));
  }
  for (const times of bySource.values()) times.sort((a, b) => a - b);
  const lags: number[] = [];
  let refused = 0;
  let unmatched = 0;
  for (const change of changes) {
    if (change.status < 200 || change.status >= 300) {
      refused += 1;
      continue;
    }
    const applied = bySource.get(`${change.kind === "user" ? "update" : "members"}:${change.sourceId}`)?.find((time) => time >= change.sentAt);
    if (applied === undefined) unmatched += 1;
    // Applied before the answer reached us (the engine woke on the commit): no lag to speak of.
    else lags.push(Math.max(0, applied - change.ackAt));
  }
  lags.sort((a, b) => a - b);
  return { accepted: changes.length - refused, refused, unmatched, p50Ms: percentile(lags, 50), p95Ms: percentile(lags, 95), p99Ms: percentile(lags, 99), maxMs: lags.at(-1) ?? 0 };
}
