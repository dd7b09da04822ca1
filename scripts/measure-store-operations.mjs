// Times three provisioning operations through the Store on SQLite and on PostgreSQL (not a test):
// a userName lookup (a filtered list, as GET /Users?filter=userName eq "…"), a user insert (POST), and a
// member add (a PATCH: lock the group, check the member, add the row, new group version).
//
//   npm run build && node scripts/measure-store-operations.mjs [postgres-url] [iterations]
//
// Without a PostgreSQL URL only SQLite is measured. The PostgreSQL database gets a tenant of its own,
// deleted at the end. Each operation runs `iterations` times one after another, then again with 8 in
// flight; it prints the median and 95th percentile latency and the operations per second.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseFilter } from "../dist/src/scim/filter/parse-filter.js";
import { resolveFilter } from "../dist/src/scim/filter/resolve-filter.js";
import { registry } from "../dist/src/scim/schema/registry.js";
import { newId } from "../dist/src/store/ids.js";
import { openStore } from "../dist/src/store/open-store.js";

const postgresUrl = process.argv[2];
const iterations = Number(process.argv[3] ?? 3000);
const inFlight = 8;
const at = "2026-01-01T00:00:00.000Z";

function unwrap(result) {
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

const userFilter = (userName) => unwrap(resolveFilter(unwrap(parseFilter(`userName eq "${userName}"`)), registry.forType("User")));

/** Runs `operation(i)` for i in [0, count) with `parallel` in flight; returns each latency in ms and the wall time. */
async function timed(count, parallel, operation) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const begin = performance.now();
      await operation(i);
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

function summary({ latencies, seconds }) {
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(3);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, ${Math.round(latencies.length / seconds)} ops/s`;
}

async function measure(label, url) {
  const store = await openStore(url);
  const tenantId = `measure-${newId()}`;
  await store.write((s) => s.tenants.create({ id: tenantId, slug: tenantId, name: tenantId, created: at }));
  const groupId = newId();
  await store.write((s) => s.resources.insert({ tenantId, id: groupId, type: "Group", attributes: { displayName: "Everyone" }, created: at }));
  const ids = [];
  const results = [];
  for (const parallel of [1, inFlight]) {
    const offset = ids.length;
    const insert = await timed(iterations, parallel, async (i) => {
      const id = newId();
      ids[offset + i] = id;
      const userName = `user${offset + i}@example.com`;
      await store.write((s) => s.resources.insert({ tenantId, id, type: "User", attributes: { userName, name: { givenName: "User", familyName: String(i) }, emails: [{ value: userName, type: "work", primary: true }], active: true }, created: at }));
    });
    const lookup = await timed(iterations, parallel, async (i) => {
      const page = await store.read((s) => s.resources.list("User", tenantId, { filter: userFilter(`USER${offset + ((i * 7919) % iterations)}@example.com`), page: { kind: "index", startIndex: 1, count: 1 } }));
      if (page.records.length !== 1) throw new Error("lookup missed");
    });
    const memberAdd = await timed(iterations, parallel, async (i) => {
      await store.write(async (s) => {
        await s.resources.get("Group", tenantId, groupId);
        const found = await s.resources.findMembers(tenantId, [ids[offset + i]]);
        await s.resources.addMembers(tenantId, groupId, [...found].map(([value, type]) => ({ value, type })));
        await s.resources.touch("Group", tenantId, groupId, at);
      });
    });
    results.push({ parallel, insert, lookup, memberAdd });
  }
  const members = await store.read((s) => s.resources.countMembers(tenantId, groupId));
  if (members !== 2 * iterations) throw new Error(`expected ${2 * iterations} members, found ${members}`);
  await store.write((s) => s.tenants.delete(tenantId));
  await store.close();
  for (const { parallel, insert, lookup, memberAdd } of results) {
    console.log(`${label}, ${parallel} in flight, ${iterations} each:`);
    console.log(`  userName lookup  ${summary(lookup)}`);
    console.log(`  user insert      ${summary(insert)}`);
    console.log(`  member add       ${summary(memberAdd)}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), "muster-measure-"));
try {
  await measure("SQLite (WAL, synchronous=FULL)", `sqlite:${join(dir, "muster.db")}`);
  if (postgresUrl) await measure("PostgreSQL", postgresUrl);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
