/** Names of the days and months in the three HTTP-date forms (RFC 9110 §5.6.7). */
const dayNames = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const longDayNames = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const monthNames = `(${months.join("|")})`;
const time = "(\\d{2}):(\\d{2}):(\\d{2})";

/** `Sun, 06 Nov 1994 08:49:37 GMT`, the form senders must use. */
const imfFixdate = new RegExp(`^${dayNames}, (\\d{2}) ${monthNames} (\\d{4}) ${time} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT`, obsolete but still to be accepted. */
const rfc850Date = new RegExp(`^${longDayNames}, (\\d{2})-${monthNames}-(\\d{2}) ${time} GMT$`);
/** `Sun Nov  6 08:49:37 1994`, C's asctime(), obsolete but still to be accepted. */
const asctimeDate = new RegExp(`^${dayNames} ${monthNames} ( \\d|\\d{2}) ${time} (\\d{4})$`);

/**
 * Reads a Retry-After header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns the wait in
 * milliseconds from `now` (0 for a date in the past), or undefined when the header is absent or is
 * neither form (garbage is ignored rather than guessed at, as the RFC's "recipients … ignore" advice implies).
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  // A repeated header is a sender's mistake; its values should agree, so the first is as good as any.
  const text = (typeof value === "string" ? value : value[0] ?? "").trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    // Beyond 2^31-1 s the value is meaningless for scheduling; RFC 9110 §1.2 lets us clamp it.
    return Math.min(seconds, 2_147_483_647) * 1000;
  }
  const at = parseHttpDate(text);
  if (at === undefined) return undefined;
  return Math.max(0, at - now);
}

/** Parses one of the three HTTP-date forms to epoch milliseconds; undefined for anything else or an impossible date. */
export function parseHttpDate(text: string): number | undefined {
  let match = imfFixdate.exec(text);
  if (match) return utc(Number(match[3]), match[2]!, Number(match[1]), match.slice(4, 7));
  match = rfc850Date.exec(text);
  if (match) {
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is read as the past century.
    const twoDigit = Number(match[3]);
    const currentYear = new Date().getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + twoDigit;
    if (year > currentYear + 50) year -= 100;
    return utc(year, match[2]!, Number(match[1]), match.slice(4, 7));
  }
  match = asctimeDate.exec(text);
  if (match) return utc(Number(match[6]), match[1]!, Number(match[2]!.trim()), match.slice(3, 6));
  return undefined;
}

function utc(year: number, monthName: string, day: number, clock: readonly (string | undefined)[]): number | undefined {
  const month = months.indexOf(monthName);
  const [hours, minutes, seconds] = clock.map(Number) as [number, number, number];
  if (day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const at = Date.UTC(year, month, day, hours, minutes, Math.min(seconds, 59));
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  return new Date(at).getUTCDate() === day ? at : undefined;
}
