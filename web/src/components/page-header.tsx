import type { ReactNode } from "react";

/** Props of PageHeader. */
export interface PageHeaderProps {
  readonly title: ReactNode;
  readonly description?: ReactNode;
  /** Buttons at the right. */
  readonly actions?: ReactNode;
  /** Heading level: 1 for top-level pages, 2 inside the tenant layout. */
  readonly level?: 1 | 2;
}

/** A page's title, a sentence about it and its main actions. */
export function PageHeader({ title, description, actions, level = 1 }: PageHeaderProps) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <div className="page-header">
      <div className="page-header-text">
        <Heading className="page-title">{title}</Heading>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
