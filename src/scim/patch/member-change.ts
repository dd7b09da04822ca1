import type { ResolvedFilter } from "../filter/resolved.js";
import type { MemberInput } from "../resource/parse-members.js";

/**
 * A change to a relation kept outside the attribute document (Group `members`), in request order.
 * `removeWhere` carries the value filter's inner filter, whose paths are sub-attributes of a member.
 */
export type MemberChange =
  | { readonly kind: "add"; readonly members: MemberInput[] }
  | { readonly kind: "remove"; readonly values: string[] }
  | { readonly kind: "removeWhere"; readonly filter: ResolvedFilter }
  | { readonly kind: "clear" };
