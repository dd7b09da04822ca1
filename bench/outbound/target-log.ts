import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** Requests a server answered for one tenant in a time window, counted by kind ("POST Users", "PATCH Groups/{id}", …). */
export interface RequestCount {
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** Answers other than 2xx. */
  readonly failed: number;
}

/** The kind of a SCIM request: method and resource, an id replaced by {id}. */
function kindOf(method: string, path: string, scimBase: string): string {
  const rest = path.startsWith(scimBase) ? path.slice(scimBase.length) : path;
  const [resource, id] = rest.replace(/^\/+/, "").split("/");
  return `${method} ${resource ?? ""}${id === undefined || id === "" ? "" : "/{id}"}`;
}

/**
 * The request log of a `muster serve` (one JSON line per request: pino's `time` when the answer was
 * finished, method, path, status, tenant), read back to count what a client sent to one tenant: the
 * server's own record, independent of what the client believes it sent.
 */
export class TargetLog {
  private readonly times: Float64Array;
  private readonly kinds: Uint16Array;
  private readonly ok: Uint8Array;
  private readonly kindNames: readonly string[];

  private constructor(times: Float64Array, kinds: Uint16Array, ok: Uint8Array, kindNames: readonly string[]) {
    this.times = times;
    this.kinds = kinds;
    this.ok = ok;
    this.kindNames = kindNames;
  }

  /** Reads the requests of `tenant` from a log file, in the order they were written. */
  static async read(file: string, tenant: string): Promise<TargetLog> {
    let times = new Float64Array(1 << 16);
    let kinds = new Uint16Array(1 << 16);
    let ok = new Uint8Array(1 << 16);
    let size = 0;
    const names: string[] = [];
    const index = new Map<string, number>();
    const scimBase = `/scim/v2/${tenant}`;
    const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.includes(`"tenant":"${tenant}"`)) continue;
      let entry: { time?: unknown; method?: unknown; path?: unknown; status?: unknown; tenant?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (entry.tenant !== tenant || typeof entry.time !== "number" || typeof entry.method !== "string" || typeof entry.path !== "string") continue;
      const kind = kindOf(entry.method, entry.path, scimBase);
      let kindIndex = index.get(kind);
      if (kindIndex === undefined) {
        kindIndex = names.length;
        names.push(kind);
        index.set(kind, kindIndex);
      }
      if (size === times.length) {
        const grow = <T extends Float64Array | Uint16Array | Uint8Array>(array: T, make: (length: number) => T): T => {
          const grown = make(array.length * 2);
          grown.set(array);
          return grown;
        };
        times = grow(times, (length) => new Float64Array(length));
        kinds = grow(kinds, (length) => new Uint16Array(length));
        ok = grow(ok, (length) => new Uint8Array(length));
      }
      times[size] = entry.time;
      kinds[size] = kindIndex;
      ok[size] = typeof entry.status === "number" && entry.status >= 200 && entry.status < 300 ? 1 : 0;
      size += 1;
    }
    return new TargetLog(times.slice(0, size), kinds.slice(0, size), ok.slice(0, size), names);
  }

  /** Requests answered at or after `fromMs` and before `toMs` (epoch milliseconds). */
  count(fromMs: number, toMs: number): RequestCount {
    const byKind: Record<string, number> = {};
    let total = 0;
    let failed = 0;
    for (let i = 0; i < this.times.length; i++) {
      const time = this.times[i]!;
      if (time < fromMs || time >= toMs) continue;
      total += 1;
      const kind = this.kindNames[this.kinds[i]!]!;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      if (this.ok[i] === 0) failed += 1;
    }
    return { total, byKind, failed };
  }

  /** The time of the last request of `kind` answered before `toMs`, if any. */
  lastOf(kind: string, fromMs: number, toMs: number): number | undefined {
    const wanted = this.kindNames.indexOf(kind);
    let last: number | undefined;
    for (let i = 0; i < this.times.length; i++) {
      const time = this.times[i]!;
      if (this.kinds[i] === wanted && time >= fromMs && time < toMs && (last === undefined || time > last)) last = time;
    }
    return last;
  }
}
