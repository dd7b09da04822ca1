import { useId, useState, type PointerEvent } from "react";
import { timeTicks, valueScale } from "../lib/chart-scale";

/** One line of a chart; null values leave a gap. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Colour, from the chart palette in styles/charts.css. */
  readonly tone: "blue" | "green" | "amber" | "red" | "violet" | "gray";
}

/** Props of LineChart. */
export interface LineChartProps {
  readonly title: string;
  /** Sample times (ms since the epoch), one per value of every series. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Writes a value of this chart (axis, legend). */
  readonly format: (value: number) => string;
  /** The time window shown, e.g. the last hour. */
  readonly start: number;
  readonly end: number;
  /** Shown instead of the chart when the measurement does not apply (e.g. group commit on PostgreSQL). */
  readonly unavailable?: string;
}

const width = 400;
const height = 170;
const plot = { left: 48, right: 8, top: 8, bottom: 22 };
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const clockSeconds = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The SVG path of a series: moves over gaps, one segment per run of values. */
function pathOf(values: readonly (number | null)[], x: (index: number) => number, y: (value: number) => number): string {
  let d = "";
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    d += `${drawing ? "L" : "M"}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
    drawing = true;
  });
  return d;
}

/** The largest value of the series, for the axis and the summary. */
function peakOf(values: readonly (number | null)[]): number | null {
  let peak: number | null = null;
  for (const value of values) if (value !== null && (peak === null || value > peak)) peak = value;
  return peak;
}

/**
 * A time-series line chart in plain SVG: a value axis from 0 with round grid lines, time ticks on
 * the clock's quarter hours (or five minutes for short windows), one line per series, and a legend with the latest values (or, while the pointer is over
 * the chart, the values at that time). Screen readers get the latest and peak value of every series.
 */
export function LineChart({ title, times, series, format, start, end, unavailable }: LineChartProps) {
  const titleId = useId();
  const [hovered, setHovered] = useState<number | null>(null);
  const innerWidth = width - plot.left - plot.right;
  const innerHeight = height - plot.top - plot.bottom;
  const peaks = series.map((line) => peakOf(line.values));
  const scale = valueScale(Math.max(0, ...peaks.map((peak) => peak ?? 0)));
  const x = (time: number) => plot.left + ((time - start) / Math.max(1, end - start)) * innerWidth;
  const y = (value: number) => plot.top + innerHeight - (Math.min(value, scale.max) / scale.max) * innerHeight;
  const at = (index: number) => x(times[index]!);
  const shown = hovered ?? (times.length > 0 ? times.length - 1 : null);
  const summary = series
    .map((line, index) => {
      const latest = line.values.at(-1) ?? null;
      const peak = peaks[index] ?? null;
      return `${line.label}: latest ${latest === null ? "none" : format(latest)}, peak ${peak === null ? "none" : format(peak)}`;
    })
    .join("; ");

  const track = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.ownerSVGElement!.getBoundingClientRect();
    const time = start + (((event.clientX - box.left) / box.width) * width - plot.left) / innerWidth * (end - start);
    let nearest = -1;
    for (let index = 0; index < times.length; index++) {
      if (nearest < 0 || Math.abs(times[index]! - time) < Math.abs(times[nearest]! - time)) nearest = index;
    }
    setHovered(nearest < 0 ? null : nearest);
  };

  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      {unavailable ? (
        <p className="chart-unavailable muted">{unavailable}</p>
      ) : (
        <>
          <ul className="chart-legend">
            {series.map((line) => {
              const value = shown === null ? null : (line.values[shown] ?? null);
              return (
                <li key={line.label}>
                  <span className={`chart-swatch chart-tone-${line.tone}`} aria-hidden="true" />
                  {line.label} <span className="chart-value">{value === null ? "–" : format(value)}</span>
                </li>
              );
            })}
            {hovered !== null && <li className="chart-at muted">at {clockSeconds.format(times[hovered]!)}</li>}
          </ul>
          <svg className="chart-plot" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
            {scale.ticks.map((tick) => (
              <g key={tick}>
                <line className="chart-gridline" x1={plot.left} x2={width - plot.right} y1={y(tick)} y2={y(tick)} />
                <text className="chart-axis" x={plot.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                  {format(tick)}
                </text>
              </g>
            ))}
            {timeTicks(start, end, end - start > 30 * 60_000 ? 15 * 60_000 : 5 * 60_000).map((tick) => (
              <text key={tick} className="chart-axis" x={x(tick)} y={height - 6} textAnchor="middle">
                {clock.format(tick)}
              </text>
            ))}
            {series.map((line) => (
              <path key={line.label} className={`chart-line chart-tone-${line.tone}`} d={pathOf(line.values, at, y)} />
            ))}
            {times.length === 1 &&
              series.map((line) => line.values[0] !== null && line.values[0] !== undefined && <circle key={line.label} className={`chart-dot chart-tone-${line.tone}`} cx={at(0)} cy={y(line.values[0])} r={2.5} />)}
            {hovered !== null && <line className="chart-cursor" x1={at(hovered)} x2={at(hovered)} y1={plot.top} y2={plot.top + innerHeight} />}
            <rect className="chart-hit" x={plot.left} y={plot.top} width={innerWidth} height={innerHeight} onPointerMove={track} onPointerLeave={() => setHovered(null)} />
          </svg>
          {times.length === 0 && <p className="chart-empty muted">No samples yet</p>}
        </>
      )}
    </figure>
  );
}
