import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import type { ChangeRecord, FeedPosition, Store } from "../store.js";
import { createTenants } from "../testing/temp-store.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../testing/test-database.js";

/*
 * The change feed on PostgreSQL (migration 0010): transactions commit in any order, so a reader reads only
 * changes of transactions below its snapshot's xmin. A consumer that follows the feed from its last position
 * never passes a change that commits later.
 */

let url: string;
let store: Store;
beforeEach(async () => {
  url = await createTestPostgresDatabase({ migrated: true });
  store = await openStore(url, { poolSize: 10 });
  await createTenants(store, "t1");
});
afterEach(async () => {
  await store.close();
  await dropTestPostgresDatabase(url);
});

const at = "2026-01-01T00:00:00.000Z";

function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function create(id: string): Promise<void> {
  return store.write(async (s) => {
    await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: `${id}@t1.example` }, created: at });
  });
}

/** Creates a user in a transaction that stays open after the insert until `release` opens. */
function heldCreate(id: string, inserted: () => void, release: Promise<void>): Promise<void> {
  return store.write(async (s) => {
    await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: `${id}@t1.example` }, created: at });
    inserted();
    await release;
  });
}

const read = (after?: FeedPosition): Promise<ChangeRecord[]> => store.read((s) => s.changes.read("t1", after, 100));

describe("change feed on PostgreSQL", () => {
  it("holds back changes that committed after an older transaction that is still open, and gives them in order once it ends", async () => {
    await create("first");
    const start = (await read()).at(-1)!.position;
    const release = gate();
    const inserted = gate();
    const held = heldCreate("slow", inserted.open, release.opened);
    try {
      await inserted.opened;
      await create("fast");
      // "fast" committed, but "slow" (an older transaction id) may still commit before it in feed order.
      expect(await read(start)).toEqual([]);
      expect(await store.read((s) => s.changes.head("t1"))).toEqual(start);
    } finally {
      release.open();
      await held;
    }
    expect((await read(start)).map((change) => change.resourceId)).toEqual(["slow", "fast"]);
  });

  it("gives a consumer following the feed under concurrent writers every change exactly once", async () => {
    const writers = 8;
    const rounds = 25;
    const seen: string[] = [];
    let after: FeedPosition | undefined;
    let writing = true;
    const consumer = (async () => {
      for (;;) {
        const done = !writing;
        const page = await read(after);
        for (const change of page) seen.push(change.resourceId);
        if (page.length > 0) after = page.at(-1)!.position;
        else if (done) return;
      }
    })();
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let round = 0; round < rounds; round++) await create(`w${w}-${round}`);
    }));
    writing = false;
    await consumer;
    expect(seen).toHaveLength(writers * rounds);
    expect(new Set(seen).size).toBe(writers * rounds);
    // Each writer's own creates come in the order it made them.
    for (let w = 0; w < writers; w++) {
      const mine = seen.filter((id) => id.startsWith(`w${w}-`));
      expect(mine).toEqual(Array.from({ length: rounds }, (_, round) => `w${w}-${round}`));
    }
  });
});
