import type { UseQueryResult } from "@tanstack/react-query";
import type { Page } from "../../../shared/admin-api";
import type { CursorPaging } from "../hooks/use-cursor-paging";
import { rangeLabel } from "../lib/cursor-stack";
import { Pager } from "./table-parts";

/** Props of CursorPager. */
export interface CursorPagerProps {
  /** What the list holds, for the navigation's name: "Users pages". */
  readonly name: string;
  readonly paging: CursorPaging;
  readonly pageSize: number;
  readonly query: Pick<UseQueryResult<Page<unknown>>, "data" | "isFetching" | "isPlaceholderData">;
}

/** A Pager wired to a cursor-paged list query: "1–50 of N", Previous through the cursor stack, Next with the page's cursor. */
export function CursorPager({ name, paging, pageSize, query }: CursorPagerProps) {
  const page = query.data;
  return (
    <Pager
      name={name}
      label={page ? rangeLabel(paging.index, pageSize, page.items.length, page.total) : null}
      busy={query.isFetching}
      hasPrevious={paging.hasPrevious}
      hasNext={Boolean(page?.nextCursor) && !query.isPlaceholderData}
      onPrevious={paging.previous}
      onNext={() => page?.nextCursor && paging.next(page.nextCursor)}
    />
  );
}
