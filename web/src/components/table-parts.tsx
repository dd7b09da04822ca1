import type { ReactNode } from "react";

/** Props of SkeletonRows. */
export interface SkeletonRowsProps {
  readonly columns: number;
  readonly rows?: number;
}

/** Placeholder rows the height of real ones, so the table does not jump when data arrives. */
export function SkeletonRows({ columns, rows = 8 }: SkeletonRowsProps) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <tr key={row} className="skeleton-row" aria-hidden="true">
          {Array.from({ length: columns }, (_, column) => (
            <td key={column}>
              <span className="skeleton" />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

/** Props of TableMessageRow. */
export interface TableMessageRowProps {
  readonly columns: number;
  readonly children: ReactNode;
}

/** One full-width row for "No users match" and similar messages inside a table. */
export function TableMessageRow({ columns, children }: TableMessageRowProps) {
  return (
    <tr className="table-message">
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}

/** Props of Pager. */
export interface PagerProps {
  /** "1–50 of 1,234"; null while the first page loads. */
  readonly label: string | null;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
  readonly onPrevious: () => void;
  readonly onNext: () => void;
  /** True while another page loads (buttons stay put, the label dims). */
  readonly busy?: boolean;
  /** What the list holds, for the navigation's name: "Users pages". */
  readonly name: string;
}

/** The "1–50 of N" label with Previous and Next. */
export function Pager({ label, hasPrevious, hasNext, onPrevious, onNext, busy = false, name }: PagerProps) {
  return (
    <nav className="pager" aria-label={name}>
      <span className={busy ? "pager-label pager-busy" : "pager-label"} aria-live="polite">
        {label ?? "\u00a0"}
      </span>
      <button type="button" className="button button-small" onClick={onPrevious} disabled={!hasPrevious}>
        Previous
      </button>
      <button type="button" className="button button-small" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
    </nav>
  );
}
