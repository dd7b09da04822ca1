import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/store/ids.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { createTenants } from "../../src/store/testing/temp-store.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../../src/store/testing/test-database.js";
import { buildOutboundChild } from "../support/build-outbound-child.js";
import { startFaultTarget, type FaultTarget } from "../support/fault-target.js";
import { OutboundHarness } from "../support/outbound-harness.js";

/*
 * Two nodes on one PostgreSQL database (issue 13, "Several nodes"): exactly one works on an app at a time,
 * and when the lease holder is killed the other takes over within seconds and finishes, with no duplicates.
 */

let script: string;
let url: string;
let store: Store;
let target: FaultTarget;
let harness: OutboundHarness;
const children: { child: ChildProcess; held: () => string }[] = [];

beforeAll(async () => {
  script = await buildOutboundChild();
}, 120_000);
beforeEach(async () => {
  url = await createTestPostgresDatabase({ migrated: true });
  store = await openStore(url);
  await createTenants(store, "t1");
  target = await startFaultTarget({ faults: { delayMs: 5 } });
  harness = new OutboundHarness(store);
});
afterEach(async () => {
  for (const { child } of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await target.close();
  await store.close();
  await dropTestPostgresDatabase(url);
});

async function startNode(): Promise<{ child: ChildProcess; held: () => string }> {
  const child = spawn(process.execPath, [script, url], { env: { ...process.env, MUSTER_TEST_SECRET_KEY: harness.keyHex, MUSTER_TEST_LEASE_MS: "3000" }, stdio: ["ignore", "pipe", "inherit"] });
  let held = "";
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line.startsWith("ready ")) resolve();
      if (line.startsWith("held ")) held = line.slice("held ".length);
    });
    child.once("exit", (code) => reject(new Error(`the engine child exited with ${code}`)));
  });
  const node = { child, held: () => held };
  children.push(node);
  return node;
}

describe("outbound engine on two PostgreSQL nodes", () => {
  it("works on an app on one node at a time, and the other finishes when the holder is killed", async () => {
    const created = new Date().toISOString();
    await store.write(async (s) => {
      for (let i = 0; i < 3_000; i++) await s.resources.insert({ tenantId: "t1", id: newId(), type: "User", attributes: { userName: `user${i}@t1.example` }, created });
    });
    await harness.createApp(target.baseUrl, target.token);
    const nodes = [await startNode(), await startNode()];
    await harness.until("a holder", () => nodes.some((node) => node.held() === "app-1"));
    expect(nodes.filter((node) => node.held() === "app-1")).toHaveLength(1);
    await harness.until("some users", () => target.users().length >= 500, 60_000);
    const holder = nodes.find((node) => node.held() === "app-1")!;
    const other = nodes.find((node) => node !== holder)!;
    await new Promise<void>((resolve) => {
      holder.child.once("exit", () => resolve());
      holder.child.kill("SIGKILL");
    });
    const killedAt = Date.now();
    await harness.until("the other node takes over", () => other.held() === "app-1", 15_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone, 120_000);
    expect(target.users()).toHaveLength(3_000);
    expect(new Set(target.users().map((user) => user["userName"])).size).toBe(3_000);
  }, 240_000);
});
