/**
 * Case folding for attributes with caseExact=false (RFC 7643 §2.2). The one definition used for
 * lookup columns (`*_key`), for SQL comparisons of JSON values (registered as a database function)
 * and for in-memory matching, so that all three agree.
 */
export function foldCase(value: string): string {
  return value.normalize("NFC").toLowerCase();
}
