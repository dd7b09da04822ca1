/** How one attribute value is shown. */
export type AttributeView =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "time"; readonly iso: string }
  | { readonly kind: "empty" }
  | { readonly kind: "list"; readonly items: readonly string[] }
  | { readonly kind: "table"; readonly columns: readonly string[]; readonly rows: readonly (readonly AttributeView[])[] }
  | { readonly kind: "fields"; readonly fields: readonly FieldView[] };

/** A named attribute and its value. */
export interface FieldView {
  readonly name: string;
  readonly value: AttributeView;
}

/** A titled group of attributes: the core schema, one extension, or the metadata. */
export interface SectionView {
  readonly title: string;
  /** The schema URN of an extension section. */
  readonly urn: string | null;
  readonly fields: readonly FieldView[];
}

const extensionTitles: Record<string, string> = {
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "Enterprise user",
};

// Shown elsewhere on the detail pages (memberships have their own lists) or in the Metadata section.
const notAttributes = new Set(["schemas", "meta", "groups", "members"]);
// meta's dateTime attributes (RFC 7643 §3.1); the console knows no other attribute's type.
const metaTimes = new Set(["created", "lastModified"]);

/**
 * Splits a SCIM resource into sections for a readable detail view: its core attributes, one
 * section per schema extension, and its metadata (id, schemas, meta). Every attribute is kept.
 */
export function describeResource(resource: Readonly<Record<string, unknown>>): SectionView[] {
  const core: FieldView[] = [];
  const extensions: SectionView[] = [];
  for (const [name, value] of Object.entries(resource)) {
    if (notAttributes.has(name) || name === "id") continue;
    if (name.startsWith("urn:") && isObject(value)) {
      extensions.push({ title: extensionTitles[name] ?? name, urn: name, fields: fieldsOf(value) });
      continue;
    }
    core.push({ name, value: viewOf(value) });
  }
  const metadata: FieldView[] = [];
  if ("id" in resource) metadata.push({ name: "id", value: viewOf(resource.id) });
  if ("schemas" in resource) metadata.push({ name: "schemas", value: viewOf(resource.schemas) });
  if (isObject(resource.meta)) {
    for (const [name, value] of Object.entries(resource.meta)) {
      metadata.push({ name, value: metaTimes.has(name) && typeof value === "string" ? { kind: "time", iso: value } : viewOf(value) });
    }
  }
  return [{ title: "Attributes", urn: null, fields: core }, ...extensions, { title: "Metadata", urn: null, fields: metadata }];
}

function fieldsOf(object: Readonly<Record<string, unknown>>): FieldView[] {
  return Object.entries(object).map(([name, value]) => ({ name, value: viewOf(value) }));
}

function viewOf(value: unknown): AttributeView {
  if (value === null || value === undefined) return { kind: "empty" };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (typeof value === "string" || typeof value === "number") return { kind: "text", text: String(value) };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "empty" };
    if (value.every((item) => !isObject(item))) return { kind: "list", items: value.map((item) => (item === null ? "" : String(item))) };
    return tableOf(value);
  }
  if (isObject(value)) return { kind: "fields", fields: fieldsOf(value) };
  return { kind: "text", text: String(value) };
}

/** A multi-valued complex attribute as a table whose columns are every sub-attribute used. */
function tableOf(items: readonly unknown[]): AttributeView {
  const columns: string[] = [];
  for (const item of items) {
    for (const key of Object.keys(isObject(item) ? item : { value: item })) if (!columns.includes(key)) columns.push(key);
  }
  const rows = items.map((item) => {
    const record = isObject(item) ? item : { value: item };
    return columns.map((column) => viewOf(record[column]));
  });
  return { kind: "table", columns, rows };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
