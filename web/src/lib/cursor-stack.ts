/**
 * Where a cursor-paged list is: the cursor of every page visited so far, first page first, so that
 * Previous returns to the page before (the admin API's cursors only go forward).
 */
export interface CursorStack {
  /** `cursors[i]` fetches page i; the first page has no cursor. */
  readonly cursors: readonly (string | undefined)[];
}

/** The first page. */
export const firstPage: CursorStack = { cursors: [undefined] };

/** The cursor that fetches the current page (undefined on the first). */
export function currentCursor(stack: CursorStack): string | undefined {
  return stack.cursors[stack.cursors.length - 1];
}

/** The current page's position, 0 for the first. */
export function pageIndex(stack: CursorStack): number {
  return stack.cursors.length - 1;
}

/** True when there is a page before the current one. */
export function hasPrevious(stack: CursorStack): boolean {
  return stack.cursors.length > 1;
}

/** The stack after following a page's `nextCursor`. */
export function nextPage(stack: CursorStack, nextCursor: string): CursorStack {
  return { cursors: [...stack.cursors, nextCursor] };
}

/** The stack after going back one page; the first page stays where it is. */
export function previousPage(stack: CursorStack): CursorStack {
  return hasPrevious(stack) ? { cursors: stack.cursors.slice(0, -1) } : stack;
}

/**
 * The "1–50 of 1,234" label of a page: `index` is the page's position, `pageSize` the count asked
 * for, `shown` the items it holds and `total` all matches.
 */
export function rangeLabel(index: number, pageSize: number, shown: number, total: number, locale?: string): string {
  const number = new Intl.NumberFormat(locale);
  if (shown === 0) return `0 of ${number.format(total)}`;
  const first = index * pageSize + 1;
  const last = first + shown - 1;
  // A list that shrank while paging can hold more than `total` said; never show "51–100 of 80".
  return `${number.format(first)}–${number.format(last)} of ${number.format(Math.max(total, last))}`;
}
