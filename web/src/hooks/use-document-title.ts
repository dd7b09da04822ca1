import { useEffect } from "react";

/** Sets the browser tab's title to "<parts> · Muster" while the page is shown. */
export function useDocumentTitle(...parts: (string | null | undefined)[]): void {
  const title = [...parts.filter((part): part is string => Boolean(part)), "Muster"].join(" · ");
  useEffect(() => {
    document.title = title;
  }, [title]);
}
