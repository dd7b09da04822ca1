import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { CursorPosition } from "../store.js";

/** Which list a position belongs to: a tenant's Users or Groups at one revision of resource_counts. */
export interface WalkedList {
  readonly tenantId: string;
  readonly type: ResourceTypeName;
  /** resource_counts.revision as the read saw it: the same revision means the same set of rows. */
  readonly revision: number;
}

interface Positions {
  revision: number;
  /** startIndex → the position of the row just before it, oldest first. */
  readonly before: Map<number, CursorPosition>;
}

/** How many positions one list keeps: a few walks at once, and a page asked for again. */
const positionsPerList = 64;
/** How many lists (tenant and type) keep positions; the least recently used goes first. */
const defaultListCapacity = 1024;

/**
 * Where earlier index pages of a whole tenant in id order ended, so the next page (startIndex = the
 * previous startIndex + count, as IdPs import) continues after that row instead of walking the index
 * from the tenant's first row with OFFSET. A position is only used at the revision it was read at:
 * resource_counts.revision goes up with every insert and delete, so the same revision means the same
 * rows and the position is still exact. Positions come from committed snapshots only (read sessions),
 * never from a write transaction that might roll back. Memory is bounded: 64 positions per list and
 * 1,024 lists per process; a miss costs nothing but the OFFSET walk.
 */
export class PagePositions {
  private readonly lists = new Map<string, Positions>();
  private readonly listCapacity: number;

  constructor(listCapacity = defaultListCapacity) {
    this.listCapacity = listCapacity;
  }

  /** The position of the row just before `startIndex`, if a page at this revision ended there. */
  find(list: WalkedList, startIndex: number): CursorPosition | undefined {
    const key = keyOf(list);
    const positions = this.lists.get(key);
    if (!positions || positions.revision !== list.revision) return undefined;
    // Map order is insertion order: re-inserting marks the list most recently used.
    this.lists.delete(key);
    this.lists.set(key, positions);
    return positions.before.get(startIndex);
  }

  /** Records that the row just before `startIndex` is at `position`, as read at `list.revision`. */
  remember(list: WalkedList, startIndex: number, position: CursorPosition): void {
    const key = keyOf(list);
    let positions = this.lists.get(key);
    // A read of an older snapshot than the one remembered adds nothing; a newer revision replaces it.
    if (positions && list.revision < positions.revision) return;
    if (!positions || list.revision > positions.revision) positions = { revision: list.revision, before: new Map() };
    this.lists.delete(key);
    this.lists.set(key, positions);
    positions.before.delete(startIndex);
    positions.before.set(startIndex, position);
    if (positions.before.size > positionsPerList) dropOldest(positions.before);
    if (this.lists.size > this.listCapacity) dropOldest(this.lists);
  }

  /** Number of positions held (for tests). */
  get size(): number {
    let size = 0;
    for (const positions of this.lists.values()) size += positions.before.size;
    return size;
  }
}

/** Deletes a map's first (least recently set) entry. */
function dropOldest<K, V>(map: Map<K, V>): void {
  const oldest = map.keys().next();
  if (!oldest.done) map.delete(oldest.value);
}

function keyOf(list: WalkedList): string {
  return `${list.type}\u0000${list.tenantId}`;
}
