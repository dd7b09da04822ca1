import type { ReactNode } from "react";

/** Props of FullPageMessage. */
export interface FullPageMessageProps {
  readonly title: string;
  readonly children?: ReactNode;
}

/** A centred panel for states of the whole console: loading, a missing page, a failed start. */
export function FullPageMessage({ title, children }: FullPageMessageProps) {
  return (
    <main className="centered-page">
      <div className="panel panel-narrow">
        <h1 className="panel-title">{title}</h1>
        {children}
      </div>
    </main>
  );
}
