import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import { readAttribute, writeAttribute } from "../../scim/resource/document-access.js";
import { matchesElement } from "../../scim/filter/evaluate-filter.js";
import { collapseElements, elementsOf } from "../../scim/patch/select-elements.js";
import { coerceValue } from "../../scim/resource/coerce-value.js";
import type { TargetPath } from "./target-path.js";

/**
 * Copies the value a "create"-only mapping wrote from `previous` (what the target got) into `next`, in
 * place, so that a diff never changes it: the attribute, the sub-attribute of a single complex attribute,
 * or, for a filtered path, the whole values the filter selects (`emails[type eq "work"].value` keeps the
 * work email as it was created). A value absent from `previous` is removed from `next`.
 */
export function keepCreateOnly(next: JsonObject, previous: JsonObject, target: TargetPath): void {
  const { resolved, filter } = target;
  const before = readAttribute(previous, resolved);
  if (filter !== undefined) {
    const matches = (element: JsonValue) => isJsonObject(element) && matchesElement(element, filter);
    const kept = elementsOf(readAttribute(next, resolved)).filter((element) => !matches(element));
    const keptPrimary = kept.some((element) => isJsonObject(element) && element["primary"] === true);
    // The current values decide which one is primary; a kept value must not make it two (RFC 7643 §2.4).
    const frozen = elementsOf(before).filter(matches).map((element) => (keptPrimary && isJsonObject(element) && element["primary"] === true ? { ...element, primary: false } : element));
    const merged = collapseElements([...kept, ...frozen]);
    const normal = coerceValue(resolved.attribute, merged, target.label);
    writeAttribute(next, resolved, normal.ok ? normal.value : merged);
    return;
  }
  const sub = resolved.subAttribute;
  if (sub === undefined) {
    writeAttribute(next, resolved, before);
    return;
  }
  const current = readAttribute(next, resolved);
  const parent: JsonObject = isJsonObject(current) ? { ...current } : {};
  const old = isJsonObject(before) ? before[sub.name] : undefined;
  if (old === undefined) delete parent[sub.name];
  else parent[sub.name] = old;
  writeAttribute(next, resolved, Object.keys(parent).length > 0 ? parent : undefined);
}
