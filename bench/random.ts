/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same tenant and the same
 * request targets on every machine, so two runs of the bench measure the same work.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one item of a sequence (user `index` of a tenant), independent of every other item. */
  static forItem(seed: number, index: number): SeededRandom {
    // splitmix32-style mixing so neighbouring indexes start far apart in the generator's sequence.
    let x = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    return new SeededRandom((x ^ (x >>> 16)) >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** Lower-case hex digits. */
  hex(length: number): string {
    let text = "";
    while (text.length < length) text += this.int(0x10000).toString(16).padStart(4, "0");
    return text.slice(0, length);
  }

  /** A random version-4-shaped UUID (for externalId, as Entra sends its objectId). */
  uuid(): string {
    const hex = this.hex(32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  /** `count` distinct integers in [0, max), in the order drawn. */
  distinct(count: number, max: number): number[] {
    const wanted = Math.min(count, max);
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(this.int(max));
    return [...chosen];
  }
}
