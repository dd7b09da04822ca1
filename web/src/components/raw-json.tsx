import { CopyButton } from "./copy-button";

/** Props of RawJson. */
export interface RawJsonProps {
  readonly value: unknown;
  readonly title: string;
}

/** A resource exactly as SCIM returns it, pretty-printed, collapsed until asked for, with a copy button. */
export function RawJson({ value, title }: RawJsonProps) {
  const text = JSON.stringify(value, null, 2);
  return (
    <details className="card raw-json">
      <summary className="card-title">{title}</summary>
      <div className="raw-json-actions">
        <CopyButton value={text} what="JSON" className="button button-small" />
      </div>
      <pre tabIndex={0}>
        <code>{text}</code>
      </pre>
    </details>
  );
}
