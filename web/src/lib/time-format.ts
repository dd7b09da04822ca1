/** Options for absolute times; both default to the browser's. */
export interface TimeFormatOptions {
  readonly locale?: string;
  readonly timeZone?: string;
}

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

// Thresholds as people round: 45 minutes is "an hour ago" sooner than "45 minutes ago".
const steps: readonly { readonly below: number; readonly unit: Intl.RelativeTimeFormatUnit; readonly size: number }[] = [
  { below: 45 * minute, unit: "minute", size: minute },
  { below: 22 * hour, unit: "hour", size: hour },
  { below: 26 * day, unit: "day", size: day },
  { below: 320 * day, unit: "month", size: 30.44 * day },
  { below: Number.POSITIVE_INFINITY, unit: "year", size: 365.25 * day },
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", "in 3 hours" — how long ago an ISO time was; the input itself when it is not a time. */
export function formatRelativeTime(iso: string, now: Date = new Date()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const elapsed = now.getTime() - time;
  if (Math.abs(elapsed) < 45 * second) return "just now";
  const step = steps.find((candidate) => Math.abs(elapsed) < candidate.below) ?? steps[steps.length - 1]!;
  return relative.format(-Math.max(1, Math.round(Math.abs(elapsed) / step.size)) * Math.sign(elapsed), step.unit);
}

/** Date and time to the second with the time zone, e.g. "Nov 28, 2026, 8:01:02 PM UTC"; the input itself when it is not a time. */
export function formatAbsoluteTime(iso: string, options: TimeFormatOptions = {}): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(options.locale, { dateStyle: "medium", timeStyle: "long", timeZone: options.timeZone }).format(time);
}

/** The date alone, e.g. "Nov 28, 2026"; the input itself when it is not a time. */
export function formatDate(iso: string, options: TimeFormatOptions = {}): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(options.locale, { dateStyle: "medium", timeZone: options.timeZone }).format(time);
}
