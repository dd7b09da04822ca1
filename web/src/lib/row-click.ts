import type { MouseEvent } from "react";

/**
 * Follows a click anywhere on a table row, unless it landed on a control inside the row or ended a
 * text selection. Rows also hold a real link in their first cell, which is what keyboards use.
 */
export function clickRow(event: MouseEvent, follow: () => void): void {
  const target = event.target as HTMLElement;
  if (target.closest("a, button, input, select, textarea, label")) return;
  if (window.getSelection()?.toString()) return;
  follow();
}
