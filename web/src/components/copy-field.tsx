import { useId } from "react";
import { CopyButton } from "./copy-button";

/** Props of CopyField. */
export interface CopyFieldProps {
  readonly label: string;
  readonly value: string;
  /** What is copied, for the button's name ("Copy token"); the label in lower case by default. */
  readonly what?: string;
  /** Monospace emphasis for secrets shown once. */
  readonly secret?: boolean;
  /** Hides the label visually (it still names the field). */
  readonly hideLabel?: boolean;
  /** Focuses the value when it appears (a token shown in an open dialog). */
  readonly autoFocus?: boolean;
}

/** A labelled read-only value that selects itself on focus, with a copy button. */
export function CopyField({ label, value, what, secret = false, hideLabel = false, autoFocus = false }: CopyFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      <div className="copy-field">
        <input
          id={id}
          className={secret ? "copy-field-value secret" : "copy-field-value"}
          readOnly
          value={value}
          spellCheck={false}
          autoFocus={autoFocus}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton value={value} what={what ?? label.toLowerCase()} className={secret ? "button button-primary" : "button"} />
      </div>
    </div>
  );
}
