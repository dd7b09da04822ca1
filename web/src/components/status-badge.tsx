import type { ReactNode } from "react";

/** Props of Badge. */
export interface BadgeProps {
  readonly tone: "success" | "danger" | "neutral" | "warning";
  readonly children: ReactNode;
}

/** A short status word in a coloured pill; the word carries the meaning, the colour only helps. */
export function Badge({ tone, children }: BadgeProps) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
