import { useEffect, useId, useRef, type ReactNode } from "react";

/** Props of Dialog. */
export interface DialogProps {
  readonly open: boolean;
  /** Called on Escape and by the dialog's own buttons; the owner then sets `open` to false. */
  readonly onClose: () => void;
  readonly title: string;
  readonly children: ReactNode;
  /** "danger" outlines destructive confirmations. */
  readonly tone?: "default" | "danger";
}

/**
 * A modal dialog on the native <dialog> element: the page behind is inert, focus moves into the
 * dialog (to the first control, so Cancel comes first in confirmations) and returns to the control
 * that opened it; Escape closes. The content mounts on opening, so forms start empty every time.
 */
export function Dialog({ open, onClose, title, children, tone = "default" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const restoreFocus = () => {
    const element = opener.current;
    opener.current = null;
    if (element instanceof HTMLElement && element.isConnected) element.focus();
  };

  return (
    <dialog
      ref={ref}
      className={tone === "danger" ? "dialog dialog-danger" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClose={restoreFocus}
    >
      {open && (
        <>
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}
