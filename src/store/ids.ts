import { randomFillSync } from "node:crypto";

const counterBits = 12;
const counterLimit = 1 << counterBits;

// Per-process generator state: the millisecond of the last id and the counter within it.
let lastMs = -1;
let counter = 0;

// Random bytes drawn from the CSPRNG 4 KiB at a time: one call per id cost a measurable share of a request.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function randomBytes10(): Uint8Array {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

/**
 * A new server-issued id in the UUID version 7 layout (RFC 9562 §5.7): 48-bit Unix milliseconds,
 * version, a 12-bit counter (RFC 9562 §6.2 method 1) and 62 random bits, as a lowercase UUID. Ids from
 * one process sort by creation order as text, so ordering by id is ordering by creation.
 */
export function newId(now: number = Date.now()): string {
  const random = randomBytes10();
  let ms = now;
  if (ms > lastMs) {
    // Start each millisecond in the lower half of the counter range, leaving room to count up.
    counter = ((random[0]! << 8) | random[1]!) & (counterLimit / 2 - 1);
  } else {
    // Same millisecond (or the clock moved back): keep order by counting, borrowing the next millisecond on overflow.
    ms = lastMs;
    counter += 1;
    if (counter >= counterLimit) {
      ms += 1;
      counter = 0;
    }
  }
  lastMs = ms;
  return formatUuid(ms, counter, random.subarray(2));
}

/** The creation time encoded in an id made by newId, in Unix milliseconds. */
export function idTimestamp(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

function formatUuid(ms: number, sequence: number, random: Uint8Array): string {
  const bytes = new Uint8Array(16);
  // 48-bit big-endian timestamp; Math.floor division keeps precision beyond 32 bits.
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (random[0]! & 0x3f);
  bytes.set(random.subarray(1, 8), 9);
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
