import type { ResolvedAttribute, ResourceSchema } from "../schema/registry.js";

/** True for Group `members`: stored as membership rows, never inside the attribute document. */
export function isMembersAttribute(schema: ResourceSchema, resolved: Pick<ResolvedAttribute, "extension" | "attribute">): boolean {
  return schema.name === "Group" && !resolved.extension && resolved.attribute.name === "members";
}

/** True for User `password` (writeOnly, RFC 7643 §4.1.1): stored hashed outside the document, never returned. */
export function isPasswordAttribute(resolved: Pick<ResolvedAttribute, "extension" | "attribute">): boolean {
  return !resolved.extension && resolved.attribute.name === "password" && resolved.attribute.mutability === "writeOnly";
}
