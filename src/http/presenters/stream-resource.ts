import { Readable } from "node:stream";
import type { MemberPages, PagedResourceView } from "../../provisioning/member-pages.js";
import type { JsonObject } from "../../scim/json.js";
import { projectResource, type Projection } from "../../scim/resource/projection.js";
import type { ResourceSchema } from "../../scim/schema/registry.js";
import type { MemberView } from "../../store/store.js";
import { presentMember, presentResource } from "./present-resource.js";

/** A response body: a whole document, or JSON text produced chunk by chunk. */
export type PresentedBody = { readonly kind: "document"; readonly document: JsonObject } | { readonly kind: "stream"; readonly chunks: AsyncGenerator<string> };

// Stands where `members` goes while the rest of the document is serialised. Its JSON text cannot occur
// elsewhere in the document: both stores refuse documents holding U+0000, and ids and URLs carry none.
const placeholder = "\u0000members\u0000";
const placeholderJson = JSON.stringify(placeholder);

// About 40 KB of text per chunk: small enough to stay in V8's young generation (a page's text as one
// string of ~1 MB would go to large-object space and wait for a full collection), large enough that
// chunked framing costs nothing.
const membersPerChunk = 250;

/**
 * The projected wire document of a paged view (RFC 7643 §3, RFC 7644 §3.9). When members follow the
 * first page, the text is produced in chunks: the document up to `members`, then each page's members
 * as it is read, then the rest — the same bytes JSON.stringify gives for the whole document, without
 * holding more than one page of members. A page that fails to load rejects the generator.
 */
export function presentPagedResource(view: PagedResourceView, schema: ResourceSchema, baseUrl: string, projection: Projection): PresentedBody {
  if (view.moreMembers === undefined || view.members === undefined) return { kind: "document", document: projectResource(schema, presentResource(view, schema, baseUrl), projection) };
  // presentResource puts `members` after the client attributes and before meta; replacing its value keeps that place.
  const presented = presentResource({ record: view.record, members: [] }, schema, baseUrl);
  presented["members"] = placeholder;
  const skeleton = projectResource(schema, presented, projection);
  const text = JSON.stringify(skeleton);
  const at = text.indexOf(placeholderJson);
  if (at < 0) return { kind: "document", document: skeleton };
  const withoutMembers = { ...skeleton };
  delete withoutMembers["members"];
  const parts = { head: text.slice(0, at), tail: text.slice(at + placeholderJson.length), withoutMembers: JSON.stringify(withoutMembers) };
  return { kind: "stream", chunks: memberChunks(parts, view.members, view.moreMembers, (page) => projectMembers(schema, page, baseUrl, projection)) };
}

/** A Readable of the chunks that asks for the next page only when the client has taken the previous ones (backpressure). */
export function readableOf(chunks: AsyncGenerator<string>): Readable {
  return Readable.from(chunks, { objectMode: false });
}

/** One page of members as the projected elements of `members` (elements the projection empties are left out, as for the whole array). */
function projectMembers(schema: ResourceSchema, page: readonly MemberView[], baseUrl: string, projection: Projection): JsonObject[] {
  const projected = projectResource(schema, { members: page.map((member) => presentMember(member, baseUrl)) }, projection)["members"];
  return Array.isArray(projected) ? (projected as JsonObject[]) : [];
}

/**
 * The document's text around the members of every page, a slice of members per chunk. The head is held
 * back until some member survives projection: when none does, the whole document has no `members`
 * either, and that is what is sent.
 */
async function* memberChunks(
  { head, tail, withoutMembers }: { head: string; tail: string; withoutMembers: string },
  first: readonly MemberView[],
  more: MemberPages,
  project: (page: readonly MemberView[]) => JsonObject[],
): AsyncGenerator<string> {
  let opened = false;
  const chunksOf = function* (page: readonly MemberView[]): Generator<string> {
    const elements = project(page);
    for (let start = 0; start < elements.length; start += membersPerChunk) {
      // The array's text without its brackets: one stringify call per slice instead of one per member.
      const text = JSON.stringify(elements.slice(start, start + membersPerChunk)).slice(1, -1);
      yield (opened ? "," : `${head}[`) + text;
      opened = true;
    }
  };
  yield* chunksOf(first);
  for await (const page of more) yield* chunksOf(page);
  yield opened ? `]${tail}` : withoutMembers;
}
