/**
 * The console path to return to after signing in, from an untrusted `next` parameter: only paths
 * inside the console are followed (never another site, such as `//evil.example`); anything else is "/".
 */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  // Control characters are dropped by URL parsers and could turn "/\t/evil" into "//evil".
  if (/[\u0000-\u001f\u007f]/.test(next)) return "/";
  if (next === "/sign-in" || next.startsWith("/sign-in?") || next.startsWith("/setup/")) return "/";
  return next;
}
