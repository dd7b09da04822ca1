import type { CeilingRelation, CeilingRow } from "./ceiling-storage.js";

const listResponseUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const userSchemas = '["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]';
const groupSchemas = '["urn:ietf:params:scim:schemas:core:2.0:Group"]';

/**
 * The wire document of a stored row, assembled as text around the stored JSON (no parse, no
 * projection): schemas, id, the stored attributes, the relations, meta.
 */
export function resourceJson(type: "User" | "Group", row: CeilingRow, base: string, relations: readonly CeilingRelation[] | undefined): string {
  const inner = row.attributes.length > 2 ? `${row.attributes.slice(1, -1)},` : "";
  const endpoint = type === "User" ? "Users" : "Groups";
  let related = "";
  if (type === "User" && relations && relations.length > 0) {
    related = `"groups":[${relations.map((group) => `{"value":"${group.id}","$ref":"${base}/Groups/${group.id}","display":${JSON.stringify(group.display)},"type":"direct"}`).join(",")}],`;
  } else if (type === "Group" && relations) {
    related = `"members":[${relations.map((member) => `{"value":"${member.id}","$ref":"${base}/${member.type === "Group" ? "Groups" : "Users"}/${member.id}","type":"${member.type ?? "User"}","display":${JSON.stringify(member.display)}}`).join(",")}],`;
  }
  const meta = `"meta":{"resourceType":"${type}","created":"${row.created_at}","lastModified":"${row.last_modified_at}","location":"${base}/${endpoint}/${row.id}","version":"W/\\"${row.version}\\""}`;
  return `{"schemas":${type === "User" ? userSchemas : groupSchemas},"id":"${row.id}",${inner}${related}${meta}}`;
}

/** A ListResponse around documents (RFC 7644 §3.4.2); `nextCursor` for cursor pages (RFC 9865). */
export function listJson(totalResults: number, documents: readonly string[], paging: { startIndex?: number; nextCursor?: string }): string {
  const start = paging.startIndex === undefined ? "" : `"startIndex":${paging.startIndex},`;
  const cursor = paging.nextCursor === undefined ? "" : `"nextCursor":"${paging.nextCursor}",`;
  return `{"schemas":["${listResponseUrn}"],"totalResults":${totalResults},${start}"itemsPerPage":${documents.length},${cursor}"Resources":[${documents.join(",")}]}`;
}
