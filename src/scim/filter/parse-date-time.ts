/** `-?YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]`: the lexical form of xsd:dateTime (RFC 7643 §2.3.5). */
const dateTimePattern = /^(-?\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses an xsd:dateTime (RFC 7643 §2.3.5) into the instant it names, or undefined when the text is not
 * one. A value without a time zone is read as UTC, so the result never depends on the server's zone;
 * fractions beyond milliseconds are truncated; `24:00:00` is the start of the next day, as in XML Schema.
 */
export function parseDateTime(text: string): Date | undefined {
  const match = dateTimePattern.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? "";
  const zone = match[8] ?? "Z";
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (minute > 59 || second > 59 || hour > 24) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(fraction))) return undefined;
  const offsetMinutes = zoneOffsetMinutes(zone);
  if (offsetMinutes === undefined) return undefined;
  const milliseconds = fraction === "" ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not move years 0–99 into the 1900s.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, milliseconds);
  const time = date.getTime() - offsetMinutes * 60_000;
  return Number.isNaN(time) ? undefined : new Date(time);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === "Z") return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (minutes > 59 || hours > 14 || (hours === 14 && minutes > 0)) return undefined;
  const sign = zone.startsWith("-") ? -1 : 1;
  return sign * (hours * 60 + minutes);
}
