/** Where a chart's value axis ends and which values get a grid line. */
export interface ValueScale {
  readonly max: number;
  readonly ticks: readonly number[];
}

/**
 * A value axis from 0 that ends at a round number at or above `max`, with 3–5 grid lines at a step
 * of 1, 2 or 5 times a power of ten (0, 0.5, 1, 1.5… or 0, 200, 400…). An axis without data ends at 1.
 */
export function valueScale(max: number): ValueScale {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power);
  const end = Math.ceil(top / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let index = 0; index * step <= end + step / 1e6; index++) ticks.push(Number((index * step).toPrecision(12)));
  return { max: Number(end.toPrecision(12)), ticks };
}

/** Times for the time axis: every `stepMillis` on the clock (e.g. each quarter hour) inside [start, end]. */
export function timeTicks(start: number, end: number, stepMillis: number): number[] {
  const ticks: number[] = [];
  for (let tick = Math.ceil(start / stepMillis) * stepMillis; tick <= end; tick += stepMillis) ticks.push(tick);
  return ticks;
}
