// Measures the console's list queries on a generated tenant (not a test): 200,000 users by default,
// a group of 100,000 members and 200,000 activity entries, on a temporary SQLite file.
//
//   npm run build && node scripts/measure-admin-lists.mjs [users]
//
// It runs the admin use cases exactly as the HTTP routes do and prints the median time of each query.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { listActivity, parseActivityQuery } from "../dist/src/admin/activity.js";
import { getGroup, listGroups, listMembers, listUsers, parseMemberQuery } from "../dist/src/admin/directory.js";
import { parseDirectoryQuery } from "../dist/src/admin/directory-query.js";
import { tenantStats } from "../dist/src/admin/stats.js";
import { CursorCodec } from "../dist/src/scim/cursor.js";
import { registry } from "../dist/src/scim/schema/registry.js";
import { newId } from "../dist/src/store/ids.js";
import { openStore } from "../dist/src/store/open-store.js";

const userCount = Number(process.argv[2] ?? 200_000);
const memberCount = Math.min(100_000, userCount);
const givenNames = ["Alex", "Sam", "Kim", "Maria", "Jose", "Wei", "Fatima", "Olga", "John", "Priya", "Noah", "Emma", "Liam", "Ava", "Mateo", "Yuki", "Zoe", "Omar", "Lena", "Ivan"];
const familyNames = ["Ng", "Smith", "Garcia", "Chen", "Kumar", "Müller", "Rossi", "Kowalski", "Okafor", "Silva", "Tanaka", "Novak", "Haddad", "Larsen", "Dubois", "Petrov", "Kim", "Lopez", "Brown", "Nguyen"];
const domains = ["acme.example", "corp.example", "contractors.example", "emea.acme.example"];

const dir = mkdtempSync(join(tmpdir(), "muster-measure-"));
const store = await openStore(`sqlite:${join(dir, "muster.db")}`);
const ctx = { store, registry, cursors: new CursorCodec(randomBytes(32)), now: () => new Date() };

function userAttributes(i) {
  const given = givenNames[i % givenNames.length];
  const family = familyNames[Math.floor(i / givenNames.length) % familyNames.length];
  const email = `${given}.${family}${i}@${domains[i % domains.length]}`.toLowerCase();
  return { userName: email, name: { givenName: given, familyName: family, formatted: `${given} ${family}` }, displayName: `${given} ${family}`, active: i % 10 !== 0, emails: [{ value: email, type: "work", primary: true }] };
}

let started = performance.now();
await store.write((s) => s.tenants.create({ id: "t-measure", slug: "measure", name: "Measure", created: new Date().toISOString() }));
const tenant = await store.read((s) => s.tenants.bySlug("measure"));
const userIds = [];
const batch = 5_000;
for (let start = 0; start < userCount; start += batch) {
  await store.write(async (s) => {
    for (let i = start; i < Math.min(userCount, start + batch); i++) {
      const id = newId();
      userIds.push(id);
      await s.resources.insert({ tenantId: tenant.id, id, type: "User", attributes: userAttributes(i), created: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });
    }
  });
}
const insertSeconds = (performance.now() - started) / 1000;
const bigGroup = newId();
await store.write(async (s) => {
  await s.resources.insert({ tenantId: tenant.id, id: bigGroup, type: "Group", attributes: { displayName: "Everyone" }, created: new Date().toISOString() });
  for (let g = 0; g < 200; g++) await s.resources.insert({ tenantId: tenant.id, id: newId(), type: "Group", attributes: { displayName: `Team ${g}` }, created: new Date().toISOString() });
});
for (let start = 0; start < memberCount; start += 10_000) {
  await store.write((s) => s.resources.addMembers(tenant.id, bigGroup, userIds.slice(start, Math.min(memberCount, start + 10_000)).map((value) => ({ value, type: "User" }))));
}
const activityCount = 200_000;
for (let start = 0; start < activityCount; start += 10_000) {
  const entries = [];
  for (let i = start; i < start + 10_000; i++) {
    const at = Date.now() - (activityCount - i) * 10_000;
    const failed = i % 17 === 0;
    entries.push({ tenantId: tenant.id, id: newId(at), at: new Date(at).toISOString(), tokenId: i % 3 === 0 ? "okta" : "entra", clientName: "IdP", method: "GET", path: "/Users", resource: i % 5 === 0 ? "Groups" : "Users", status: failed ? 409 : 200, outcome: failed ? "failure" : "success", errorCode: failed ? "uniqueness" : null, errorDetail: null, durationMs: 1, requestId: `r${i}` });
  }
  await store.write((s) => s.activity.append(entries));
}
console.log(`Generated ${userCount} users in ${insertSeconds.toFixed(1)} s (${((insertSeconds * 1000) / userCount).toFixed(3)} ms per user, search terms included), a group of ${memberCount} members, ${activityCount} activity entries.`);

function parsed(result) {
  if (!result.ok) throw result.error;
  return result.value;
}
const users = (query) => listUsers(ctx, tenant, parsed(parseDirectoryQuery(ctx, tenant, registry.forType("User"), query)));

async function measure(label, run, runs = 7) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const total = result?.total ?? "";
  console.log(`${label.padEnd(58)} ${times[Math.floor(runs / 2)].toFixed(1).padStart(8)} ms  ${total === "" ? "" : `(total ${total})`}`);
  return result;
}

async function suite() {
  await measure("users: first page, newest first", () => users({}));
  let page = await users({ count: "50" });
  for (let i = 0; i < 99 && page.nextCursor; i++) page = await users({ count: "50", cursor: page.nextCursor });
  if (page.nextCursor) await measure("users: page 101 by cursor", () => users({ count: "50", cursor: page.nextCursor }));
  await measure('users: q="alex" (1 in 20)', () => users({ q: "alex" }));
  await measure('users: q="alex ng" (two words)', () => users({ q: "alex ng" }));
  await measure('users: q="a" (one letter)', () => users({ q: "a" }));
  await measure('users: q="alex.ng1200@" (one user)', () => users({ q: "alex.ng1200@" }));
  await measure('users: q="acme.example" (a domain, 1 in 4)', () => users({ q: "acme.example" }));
  await measure('users: q="zzz" (nobody)', () => users({ q: "zzz" }));
  await measure('users: q="alex", sortBy=userName', () => users({ q: "alex", sortBy: "userName" }));
  await measure("users: filter active eq false", () => users({ filter: "active eq false" }));
  await measure('users: filter emails.value sw "maria"', () => users({ filter: 'emails.value sw "maria"' }));
  await measure("groups: first page with member counts", () => listGroups(ctx, tenant, parsed(parseDirectoryQuery(ctx, tenant, registry.forType("Group"), {}))));
  await measure(`group of ${memberCount}: detail with member count`, () => getGroup(ctx, tenant, bigGroup));
  const first = await measure(`group of ${memberCount}: first member page`, () => listMembers(ctx, tenant, bigGroup, parsed(parseMemberQuery(ctx, tenant, bigGroup, {}))));
  let members = first;
  for (let i = 0; i < 200 && members.nextCursor; i++) members = await listMembers(ctx, tenant, bigGroup, parsed(parseMemberQuery(ctx, tenant, bigGroup, { cursor: members.nextCursor, count: "200" })));
  if (members.nextCursor) await measure(`group of ${memberCount}: member page after 40,000`, () => listMembers(ctx, tenant, bigGroup, parsed(parseMemberQuery(ctx, tenant, bigGroup, { cursor: members.nextCursor }))));
  await measure("activity: first page", () => listActivity(ctx, tenant, parsed(parseActivityQuery(ctx, tenant, {}))));
  await measure("activity: failures only", () => listActivity(ctx, tenant, parsed(parseActivityQuery(ctx, tenant, { outcome: "failure" }))));
  await measure("activity: one token and Groups", () => listActivity(ctx, tenant, parsed(parseActivityQuery(ctx, tenant, { tokenId: "okta", resource: "Groups" }))));
  await measure("stats", () => tenantStats(ctx, tenant, 30));
}

console.log("\nWithout planner statistics (a database that has not been closed since it grew):");
await suite();
await store.close();
const reopened = await openStore(`sqlite:${join(dir, "muster.db")}`);
ctx.store = reopened;
console.log("\nAfter reopening (PRAGMA optimize ran at close):");
await suite();
await reopened.close();
rmSync(dir, { recursive: true, force: true });
