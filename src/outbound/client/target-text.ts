/** The longest `detail` text kept from a target's answer. */
export const maxDetailLength = 500;

/**
 * Makes text that came from a target (or from the network stack) safe to log: the bearer token (and any
 * other secret given) replaced, control characters and runs of white space collapsed, clipped to `max`.
 * A target that echoes the Authorization header in its error text must not leak it into our logs.
 */
export function targetText(text: string, secrets: readonly string[], max: number = maxDetailLength): string {
  let safe = text;
  for (const secret of secrets) {
    if (secret.length > 0) safe = safe.split(secret).join("[redacted]");
  }
  safe = safe.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
  if (safe.length <= max) return safe;
  let clipped = safe.slice(0, max - 1);
  // Never end on half a surrogate pair: the text must stay valid UTF-16.
  if (/[\ud800-\udbff]$/.test(clipped)) clipped = clipped.slice(0, -1);
  return `${clipped}…`;
}
