/**
 * The q-quantile (0–1) of observations counted in histogram buckets, estimated as Prometheus's
 * histogram_quantile() does: find the bucket holding the rank q × total and interpolate linearly
 * inside it (from 0 for the first bucket). A rank in the +Inf bucket gives the highest finite bound.
 * `counts` are per bucket, not cumulative, with one more slot than `bounds` for +Inf. Null without observations.
 */
export function histogramQuantile(q: number, bounds: readonly number[], counts: ArrayLike<number>): number | null {
  let total = 0;
  for (let index = 0; index < counts.length; index++) total += counts[index]!;
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < bounds.length; index++) {
    const inBucket = counts[index]!;
    if (below + inBucket >= rank && inBucket > 0) {
      const lower = index === 0 ? 0 : bounds[index - 1]!;
      return lower + (bounds[index]! - lower) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return bounds.length > 0 ? bounds[bounds.length - 1]! : null;
}
