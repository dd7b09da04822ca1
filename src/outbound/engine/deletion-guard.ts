/** The accidental-deletion guard's limit: more deprovisions than this in one cycle (or one hour of changes) are staged. */
export interface DeletionLimit {
  /** The most deprovisions allowed; Infinity when the guard is off. */
  readonly limit: number;
  /** The limit in words, for the quarantine reason. */
  readonly description: string;
}

/** Below this many deprovisions the percentage does not apply: disabling 3 of 10 users is no accident to stop. */
export const percentFloor = 10;

/**
 * The guard's limit for an app with `linked` provisioned objects: `count` deprovisions, or `percent` of
 * the linked objects (once at least `percentFloor` deprovisions are involved), whichever is lower. Either
 * part may be null (off); both null turns the guard off.
 */
export function deletionLimit(threshold: { readonly count: number | null; readonly percent: number | null }, linked: number): DeletionLimit {
  const parts: { limit: number; description: string }[] = [];
  if (threshold.count !== null) parts.push({ limit: threshold.count, description: `${threshold.count} objects` });
  if (threshold.percent !== null) {
    const byShare = Math.max(percentFloor - 1, Math.floor((linked * threshold.percent) / 100));
    parts.push({ limit: byShare, description: `${threshold.percent}% of the ${linked} provisioned objects` });
  }
  if (parts.length === 0) return { limit: Number.POSITIVE_INFINITY, description: "off" };
  return parts.reduce((lowest, part) => (part.limit < lowest.limit ? part : lowest));
}
