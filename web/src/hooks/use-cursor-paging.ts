import { useState } from "react";
import { currentCursor, firstPage, hasPrevious, nextPage, pageIndex, previousPage, type CursorStack } from "../lib/cursor-stack";

/** Paging state of a cursor-paged list. */
export interface CursorPaging {
  readonly cursor: string | undefined;
  readonly index: number;
  readonly hasPrevious: boolean;
  next(nextCursor: string): void;
  previous(): void;
  reset(): void;
}

/** Paging through a cursor-paged list; returns to the first page whenever `resetKey` changes (a new search or filter). */
export function useCursorPaging(resetKey: string): CursorPaging {
  const [state, setState] = useState<{ key: string; stack: CursorStack }>({ key: resetKey, stack: firstPage });
  const stack = state.key === resetKey ? state.stack : firstPage;
  return {
    cursor: currentCursor(stack),
    index: pageIndex(stack),
    hasPrevious: hasPrevious(stack),
    next: (cursor) => setState({ key: resetKey, stack: nextPage(stack, cursor) }),
    previous: () => setState({ key: resetKey, stack: previousPage(stack) }),
    reset: () => setState({ key: resetKey, stack: firstPage }),
  };
}
