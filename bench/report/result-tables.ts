import type { PagingResult, ReplayResult, ScenarioResult } from "./bench-report.js";

/** A header and rows of formatted cells; format-report lays them out for a terminal, format-markdown as Markdown. */
export interface ResultTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A whole number with thousands separators. */
export const int = (value: number): string => Math.round(value).toLocaleString("en-US");
/** Milliseconds with three significant digits at most. */
export const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));
/** Megabytes, "–" when not measured. */
export const mb = (value: number | undefined): string => (value === undefined ? "–" : value.toFixed(0));

const ratio = (value: number | undefined) => (value === undefined ? "–" : value.toFixed(2));
const stopped = (figures: { readonly complete: boolean }) => (figures.complete ? "" : " (stopped)");

/** One row per scenario and connection count: both servers' figures, the ratio, Muster's peak RSS, both servers' errors. */
export function scenarioTable(results: readonly ScenarioResult[]): ResultTable {
  return {
    header: ["Scenario", "conn.", "Muster req/s", "p50 ms", "p99 ms", "n", "Ceiling req/s", "p50 ms", "p99 ms", "ratio", "peak RSS MB", "errors"],
    rows: results.map(({ scenario, connections, muster, ceiling, ...result }) => [
      scenario,
      String(connections),
      int(muster.rps),
      ms(muster.p50Ms),
      ms(muster.p99Ms),
      int(muster.requests),
      ceiling ? int(ceiling.rps) : "–",
      ceiling ? ms(ceiling.p50Ms) : "–",
      ceiling ? ms(ceiling.p99Ms) : "–",
      ratio(result.ratio),
      mb(result.rssPeakMb),
      // Either server's errors make the row's ratio doubtful, so both count.
      String(muster.unexpected + muster.errors + (ceiling ? ceiling.unexpected + ceiling.errors : 0)),
    ]),
  };
}

/** One row per paging mode; a walk that ended before the last page (time limit or a failed page) says "stopped". */
export function pagingTable(results: readonly PagingResult[]): ResultTable {
  return {
    header: ["Paging all users, count=1000", "pages", "Muster s", "p50 ms", "p99 ms", "Ceiling s", "ratio", "peak RSS MB"],
    rows: results.map(({ mode, muster, ceiling, ...result }) => [
      `by ${mode}${stopped(muster)}`,
      int(muster.pages),
      muster.seconds.toFixed(1),
      ms(muster.p50Ms),
      ms(muster.p99Ms),
      ceiling ? `${ceiling.seconds.toFixed(1)}${stopped(ceiling)}` : "–",
      ratio(result.ratio),
      mb(result.rssPeakMb),
    ]),
  };
}

/** One row per phase of the Entra replay, then the whole cycle with both servers' durations and Muster's peak RSS. */
export function replayTable(replay: ReplayResult): ResultTable {
  const { muster, ceiling } = replay;
  return {
    header: ["Phase", "requests", "Muster req/s", "p50 ms", "p99 ms", "Ceiling req/s", "ratio"],
    rows: [
      ...muster.phases.map((phase, index) => {
        const ceilingPhase = ceiling?.phases[index];
        return [phase.name, int(phase.requests), int(phase.rps), ms(phase.p50Ms), ms(phase.p99Ms), ceilingPhase ? int(ceilingPhase.rps) : "–", ceilingPhase ? ratio(phase.rps / ceilingPhase.rps) : "–"];
      }),
      [
        `whole cycle: ${muster.seconds.toFixed(1)} s (ceiling ${ceiling ? `${ceiling.seconds.toFixed(1)} s` : "–"}), peak RSS ${mb(replay.rssPeakMb)} MB`,
        int(muster.requests),
        int(muster.rps),
        ms(muster.p50Ms),
        ms(muster.p99Ms),
        ceiling ? int(ceiling.rps) : "–",
        ratio(replay.ratio),
      ],
    ],
  };
}
