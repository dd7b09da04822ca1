/** Where progress goes: a terminal gets one redrawn bar, anything else (a log file, a pipe) plain lines. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** Tuning of a ProgressBar (tests pass a clock). */
export interface ProgressOptions {
  readonly now?: () => number;
  /** How often a terminal bar is redrawn at most. Default 100 ms. */
  readonly redrawMs?: number;
  /** How often a plain progress line is written at most. Default 10 s. */
  readonly plainEveryMs?: number;
}

const clearLine = "\r\x1b[2K";

/** A number with thousands separators, as the rest of the CLI prints counts. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Seconds as "42s", "3m 05s" or "1h 02m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * Progress of a long command (muster copy, muster backup): on a terminal a bar with percentage, counts
 * and time left, redrawn in place; elsewhere a plain line every few seconds. `line` prints a message
 * that stays (above the bar on a terminal).
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly plainEveryMs: number;
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private shown = "";

  constructor(stream: ProgressStream, options: ProgressOptions = {}) {
    this.stream = stream;
    this.now = options.now ?? Date.now;
    this.redrawMs = options.redrawMs ?? 100;
    this.plainEveryMs = options.plainEveryMs ?? 10_000;
    this.started = this.now();
    // Plain output waits a full interval: short runs print only their `line`s.
    if (!stream.isTTY) this.lastDraw = this.started;
  }

  /** Reports that `done` of `total` units are finished, under a short label. */
  update(done: number, total: number, label: string, unit = "rows"): void {
    const now = this.now();
    const finished = done >= total;
    if (now - this.lastDraw < (this.stream.isTTY ? this.redrawMs : this.plainEveryMs) && !(this.stream.isTTY && finished)) return;
    this.lastDraw = now;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
    const counts = `${formatCount(done)}/${formatCount(total)} ${unit}`;
    const elapsed = (now - this.started) / 1000;
    // The first second's rate says little (connections, the smallest tables): guess only after it.
    const eta = done > 0 && !finished && elapsed >= 1 ? `, ${formatDuration(((total - done) * elapsed) / done)} left` : "";
    if (!this.stream.isTTY) {
      this.stream.write(`${label}: ${counts} (${percent.trim()}${eta})\n`);
      return;
    }
    const text = `${percent}  ${counts}${eta}  ${label}`;
    // A terminal of unknown width reports 0 columns.
    const width = Math.max(10, Math.min(40, (this.stream.columns || 80) - text.length - 4));
    const filled = Math.round(ratio * width);
    this.shown = `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${text}`;
    this.stream.write(`${clearLine}${this.shown}`);
  }

  /** Prints a line that stays. */
  line(text: string): void {
    if (this.stream.isTTY && this.shown !== "") this.stream.write(`${clearLine}${text}\n${this.shown}`);
    else this.stream.write(`${text}\n`);
  }

  /** Removes the bar from a terminal; afterwards only `line` output remains. */
  done(): void {
    if (this.stream.isTTY && this.shown !== "") this.stream.write(clearLine);
    this.shown = "";
  }
}
