import { Fragment } from "react";
import type { AttributeView, FieldView, SectionView } from "../lib/resource-view";
import { formatAbsoluteTime } from "../lib/time-format";
import { RelativeTime } from "./relative-time";

/** Props of ResourceAttributes. */
export interface ResourceAttributesProps {
  readonly sections: readonly SectionView[];
}

/** Every attribute of a SCIM resource, section by section, as name–value lists and small tables. */
export function ResourceAttributes({ sections }: ResourceAttributesProps) {
  return (
    <>
      {sections.map((section) => (
        <section key={section.title} className="card attributes" aria-label={section.title}>
          <h3 className="card-title">{section.title}</h3>
          {section.urn && section.urn !== section.title && <p className="muted attributes-urn">{section.urn}</p>}
          {section.fields.length === 0 ? <p className="muted">No attributes.</p> : <Fields fields={section.fields} />}
        </section>
      ))}
    </>
  );
}

function Fields({ fields }: { readonly fields: readonly FieldView[] }) {
  return (
    <dl className="attribute-list">
      {fields.map((field) => (
        <Fragment key={field.name}>
          <dt>{field.name}</dt>
          <dd>
            <Value view={field.value} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Value({ view }: { readonly view: AttributeView }) {
  switch (view.kind) {
    case "empty":
      return <span className="muted">—</span>;
    case "text":
      return <span className="attribute-text">{view.text}</span>;
    case "boolean":
      return <span>{view.value ? "true" : "false"}</span>;
    case "time":
      return (
        <span>
          <RelativeTime iso={view.iso} /> <span className="muted">({formatAbsoluteTime(view.iso)})</span>
        </span>
      );
    case "list":
      return (
        <ul className="attribute-values">
          {view.items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      );
    case "fields":
      return <Fields fields={view.fields} />;
    case "table":
      return (
        <div className="table-frame table-frame-inner">
          <table className="table table-compact">
            <thead>
              <tr>
                {view.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row, index) => (
                <tr key={index}>
                  {row.map((cell, column) => (
                    <td key={column}>
                      <Value view={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}
