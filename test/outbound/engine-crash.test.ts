import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/store/ids.js";
import { createTenants, openTempStore, type TempStore } from "../../src/store/testing/temp-store.js";
import { buildOutboundChild } from "../support/build-outbound-child.js";
import { startFaultTarget, type FaultTarget } from "../support/fault-target.js";
import { OutboundHarness } from "../support/outbound-harness.js";

/*
 * kill -9 of the pushing process (issue 13): in the middle of an initial cycle of 10,000 users, and again
 * during incremental changes. After a restart the target converges with no duplicates and no lost change.
 */

let script: string;
let temp: TempStore;
let target: FaultTarget;
let harness: OutboundHarness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  script = await buildOutboundChild();
}, 120_000);
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1");
  target = await startFaultTarget();
  harness = new OutboundHarness(temp.store);
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await target.close();
  await temp.dispose();
});
afterAll(() => undefined);

/** Starts an engine in a child process; resolves once it runs. */
async function startChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, temp.url], { env: { ...process.env, MUSTER_TEST_SECRET_KEY: harness.keyHex, MUSTER_TEST_LEASE_MS: "2000" }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line.startsWith("ready ")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the engine child exited with ${code}`)));
  });
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function insertUsers(count: number): Promise<string[]> {
  const ids: string[] = [];
  const created = new Date().toISOString();
  for (let start = 0; start < count; start += 1_000) {
    await temp.store.write(async (s) => {
      for (let i = start; i < Math.min(count, start + 1_000); i++) {
        const id = newId();
        ids.push(id);
        await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: `user${String(i).padStart(5, "0")}@t1.example`, displayName: "Initial" }, created });
      }
    });
  }
  return ids;
}

function duplicates(): string[] {
  const seen = new Map<string, number>();
  for (const user of target.users()) seen.set(user["userName"] as string, (seen.get(user["userName"] as string) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([name]) => name);
}

describe("outbound engine killed with -9", () => {
  it("finishes an initial cycle of 10,000 users after being killed in the middle, without duplicates, then loses no incremental change", async () => {
    const ids = await insertUsers(10_000);
    await harness.createApp(target.baseUrl, target.token);
    let child = await startChild();
    await harness.until("a third of the users", () => target.userCount() >= 3_000, 60_000);
    await kill(child);
    const atKill = target.userCount();
    expect(atKill).toBeLessThan(10_000);
    child = await startChild();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone, 120_000);
    expect(target.users()).toHaveLength(10_000);
    expect(duplicates()).toEqual([]);

    // Incremental: 300 updates while the engine runs; killed after some have gone out.
    const changed = ids.slice(0, 300);
    const writes = (async () => {
      for (const id of changed) await harness.updateUser(id, { userName: (await temp.store.read((s) => s.resources.get("User", "t1", id)))!.attributes["userName"]!, displayName: "Changed" });
    })();
    await harness.until("some updates", () => target.users('displayName eq "Changed"').length >= 50, 60_000);
    await kill(child);
    await writes;
    child = await startChild();
    await harness.until("every update", () => target.users('displayName eq "Changed"').length === 300, 60_000);
    expect(target.users()).toHaveLength(10_000);
    expect(duplicates()).toEqual([]);
  }, 300_000);
});
