import { useEffect, useState } from "react";
import { copyText } from "../lib/clipboard";

/** Props of CopyButton. */
export interface CopyButtonProps {
  readonly value: string;
  /** What is copied, for the accessible name: "Copy SCIM base URL". */
  readonly what: string;
  readonly className?: string;
}

/** A button that copies `value` and says so ("Copied") to sighted and screen-reader users alike. */
export function CopyButton({ value, what, className }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  return (
    <span className="copy">
      <button
        type="button"
        className={className ?? "button"}
        aria-label={`Copy ${what}`}
        onClick={async () => setState((await copyText(value)) ? "copied" : "failed")}
      >
        {state === "copied" ? "Copied" : "Copy"}
      </button>
      <span className="copy-status" role="status">
        {state === "copied" ? `${capitalize(what)} copied to the clipboard.` : state === "failed" ? "Copying failed: select the text and copy it yourself." : ""}
      </span>
    </span>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
