import { performance } from "node:perf_hooks";
import { HttpSession } from "./http-session.js";
import { LatencyRecorder } from "./latency-recorder.js";

/** Reading every user page by page, as a reconciling client does. */
export interface PagingJob {
  readonly mode: "index" | "cursor";
  readonly origin: string;
  readonly token: string;
  readonly basePath: string;
  readonly count: number;
  /** Stop after this long (the figures then say `complete: false`). */
  readonly maxSeconds: number;
}

/** What walking the pages measured. */
export interface PagingFigures {
  readonly pages: number;
  readonly resources: number;
  readonly totalResults: number;
  readonly seconds: number;
  readonly complete: boolean;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly failures: number;
  readonly firstFailure?: string;
}

interface ListBody {
  readonly totalResults?: number;
  readonly itemsPerPage?: number;
  readonly Resources?: unknown[];
  readonly nextCursor?: string;
}

/**
 * Walks all users with `count` per page: by startIndex (RFC 7644 §3.4.2.4) until startIndex passes
 * totalResults, or by cursor (RFC 9865) until a page has no nextCursor. One request at a time.
 */
export async function walkPages(job: PagingJob): Promise<PagingFigures> {
  const session = new HttpSession(job.origin, job.token, 1);
  const recorder = new LatencyRecorder();
  const started = performance.now();
  let pages = 0;
  let resources = 0;
  let totalResults = 0;
  let complete = false;
  let failures = 0;
  let firstFailure: string | undefined;
  let startIndex = 1;
  let cursor = "";
  try {
    while ((performance.now() - started) / 1000 < job.maxSeconds) {
      const query = job.mode === "index" ? `startIndex=${startIndex}&count=${job.count}` : `cursor=${encodeURIComponent(cursor)}&count=${job.count}`;
      const response = await session.send("GET", `${job.basePath}/Users?${query}`);
      recorder.record(response.status, response.ms, response.text.length);
      if (response.status !== 200) {
        failures += 1;
        firstFailure ??= `page ${pages + 1}: ${response.status} ${response.text.slice(0, 300)}`;
        break;
      }
      const body = JSON.parse(response.text) as ListBody;
      pages += 1;
      const items = body.Resources?.length ?? 0;
      resources += items;
      totalResults = body.totalResults ?? totalResults;
      if (job.mode === "index") {
        startIndex += job.count;
        if (items === 0 || startIndex > totalResults) complete = true;
      } else if (body.nextCursor === undefined) {
        complete = true;
      } else {
        cursor = body.nextCursor;
      }
      if (complete) break;
    }
  } finally {
    session.close();
  }
  const latency = recorder.summary();
  return { pages, resources, totalResults, seconds: (performance.now() - started) / 1000, complete, p50Ms: latency.p50Ms, p99Ms: latency.p99Ms, maxMs: latency.maxMs, failures, ...(firstFailure ? { firstFailure } : {}) };
}
