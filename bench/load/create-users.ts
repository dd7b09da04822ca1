import { performance } from "node:perf_hooks";
import { managerIndex, userBody } from "../dataset/generate-user.js";
import type { TenantPlan } from "../dataset/tenant-plan.js";
import { HttpSession } from "./http-session.js";
import { LatencyRecorder } from "./latency-recorder.js";

/** A plain load generator creating a tenant's users on a SCIM server: one POST per user, nothing else. */
export interface CreateUsersJob {
  readonly origin: string;
  readonly token: string;
  /** `/scim/v2/<tenant>`. */
  readonly basePath: string;
  readonly plan: Pick<TenantPlan, "seed">;
  /** Users 0 … users − 1 of the plan are created, in index order. */
  readonly users: number;
  /** Requests in flight. */
  readonly concurrency: number;
  /** Stop starting new POSTs after this many seconds. */
  readonly maxSeconds: number;
}

/** What creating the users took. */
export interface CreateUsersFigures {
  /** Users the server answered 201 for. */
  readonly created: number;
  readonly requests: number;
  readonly seconds: number;
  readonly usersPerSecond: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly firstFailure?: string;
  /** False when the time limit ended it before the last user. */
  readonly complete: boolean;
}

/**
 * POSTs users 0 … n − 1 with `concurrency` requests in flight, each with the body the generator gives
 * the user (as the outbound engine sends it: the stored attributes, the manager as the target's id of
 * the manager created before). Seconds run from the first request sent to the last answer.
 */
export async function createUsers(job: CreateUsersJob): Promise<CreateUsersFigures> {
  const session = new HttpSession(job.origin, job.token, job.concurrency);
  const latency = new LatencyRecorder();
  const ids = new Array<string | undefined>(job.users);
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.maxSeconds * 1000;
  const lane = async () => {
    while (next < job.users && performance.now() < deadline) {
      const index = next++;
      const manager = managerIndex(index);
      const response = await session.send("POST", `${job.basePath}/Users`, userBody(job.plan, index, manager === undefined ? undefined : ids[manager]));
      latency.record(response.status, response.ms);
      if (response.status === 201) ids[index] = (JSON.parse(response.text) as { id: string }).id;
      else {
        failures += 1;
        firstFailure ??= `POST user ${index} answered ${response.status}: ${response.text.slice(0, 300)}`;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, lane));
  } finally {
    session.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = latency.summary();
  const created = latency.count - failures;
  return {
    created,
    requests: latency.count,
    seconds,
    usersPerSecond: created / Math.max(seconds, 0.001),
    requestsPerSecond: latency.count / Math.max(seconds, 0.001),
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    complete: next >= job.users,
  };
}
