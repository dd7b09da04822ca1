/*
 * How the Health page writes measured values: rates per second, durations and counts, with
 * about three significant digits, so a legend and an axis read the same number the same way.
 */

const compact = (value: number, digits: number) => new Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(value);

/** A number to about three significant digits: 0, 0.042, 1.5, 12.3, 457, 12,300. */
export function formatNumber(value: number): string {
  const size = Math.abs(value);
  if (size === 0) return "0";
  if (size < 0.01) return compact(value, 4);
  if (size < 1) return compact(value, 3);
  if (size < 10) return compact(value, 2);
  if (size < 100) return compact(value, 1);
  return compact(value, 0);
}

/** A rate: "0/s", "0.5/s", "1,200/s". */
export function formatRate(perSecond: number): string {
  return `${formatNumber(perSecond)}/s`;
}

/** A duration given in milliseconds: "0.42 ms", "12 ms", "1.5 s". */
export function formatMillis(millis: number): string {
  if (Math.abs(millis) >= 1000) return `${formatNumber(millis / 1000)} s`;
  return `${formatNumber(millis)} ms`;
}
