import cliProgress from "cli-progress";
import type { LoadProgress } from "../dataset/load-tenant.js";

/** Progress bars on stderr, one per loading phase (users, groups, big group members); a line every 10 s when stderr is not a terminal. */
export function progressBars(): LoadProgress {
  const multibar = new cliProgress.MultiBar(
    { format: "{phase} |{bar}| {value}/{total} {percentage}% | {duration_formatted} | eta {eta_formatted}", stream: process.stderr, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 10_000, formatValue: (value, _options, type) => (type === "value" || type === "total" ? value.toLocaleString("en-US") : String(value)) },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    phase(name, total) {
      bars.set(name, multibar.create(total, 0, { phase: name.padEnd(17) }));
    },
    advance(name, done) {
      bars.get(name)?.update(done);
    },
    finish() {
      multibar.stop();
    },
  };
}

/** No output (tests). */
export const silentProgress: LoadProgress = { phase() {}, advance() {}, finish() {} };
