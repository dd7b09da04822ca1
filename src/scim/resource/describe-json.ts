/** Short JSON text of a value for error details, clipped so that a huge or deeply nested value cannot flood the message. */
export function describeJson(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    // Values nested deeper than the stack allows (or cyclic ones) are described by their kind only.
    text = Array.isArray(value) ? "an array" : typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
