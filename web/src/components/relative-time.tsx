import { useNow } from "../hooks/use-now";
import { formatAbsoluteTime, formatDate, formatRelativeTime } from "../lib/time-format";

/** Props of RelativeTime. */
export interface RelativeTimeProps {
  readonly iso: string | null;
  /** Shown when there is no time ("Never"). */
  readonly empty?: string;
  /** "relative" (default) shows "5 minutes ago"; "date" shows the date. The exact time is always the tooltip. */
  readonly style?: "relative" | "date";
}

/** A time as people read it, with the exact date and time on hover (title) and in the markup (dateTime). */
export function RelativeTime({ iso, empty = "—", style = "relative" }: RelativeTimeProps) {
  const now = useNow();
  if (iso === null) return <span className="muted">{empty}</span>;
  const absolute = formatAbsoluteTime(iso);
  return (
    <time dateTime={iso} title={absolute}>
      {style === "date" ? formatDate(iso) : formatRelativeTime(iso, new Date(now))}
    </time>
  );
}
