// Measures how much disk an installation takes per user (not a test): loads the benchmark's generated
// tenant (users with enterprise attributes, emails and managers; one group per hundred users; a big
// group of up to 100,000 members) plus SCIM activity entries into an EMPTY database, then prints the
// size of every table with its indexes, and per 1,000 users.
//
//   npm run build && npx tsc -p bench/tsconfig.json
//   node scripts/measure-database-size.mjs --db sqlite:/tmp/size.db --users 100000 --activity 100000
//   node scripts/measure-database-size.mjs --db postgres://localhost/muster_size --users 100000
//
// docs/deployment.md quotes its output.
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { loadTenant } from "../dist/bench/dataset/load-tenant.js";
import { planTenant } from "../dist/bench/dataset/tenant-plan.js";
import { newId } from "../dist/src/store/ids.js";
import { openStore, parseDatabaseUrl } from "../dist/src/store/open-store.js";

const { values } = parseArgs({ options: { db: { type: "string" }, users: { type: "string", default: "100000" }, activity: { type: "string", default: "100000" } } });
if (!values.db) throw new Error("--db <url> is required (an empty database: the script fills it)");
const users = Number(values.users);
const activity = Number(values.activity);

const store = await openStore(values.db);
if ((await store.read((s) => s.tenants.count())) > 0) throw new Error("the database is not empty");
const started = Date.now();
const say = (line) => process.stderr.write(`${line}\n`);
const loaded = await loadTenant(store, planTenant(users), {
  phase: (name, total) => say(`loading ${name} (${total})…`),
  advance: () => undefined,
  finish: () => undefined,
});
const tenant = await store.read((s) => s.tenants.bySlug(loaded.tenantSlug));
const token = (await store.read((s) => s.tokens.list(tenant.id)))[0];
say(`loading activity (${activity})…`);
const paths = ["/Users", "/Groups", "/Users/%s", "/Groups/%s"];
for (let start = 0; start < activity; start += 5_000) {
  const entries = [];
  for (let i = start; i < Math.min(activity, start + 5_000); i++) {
    const failed = i % 50 === 0;
    entries.push({
      tenantId: tenant.id,
      id: newId(Date.UTC(2026, 0, 1) + i * 1_000),
      at: new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString(),
      tokenId: token.id,
      clientName: "Azure AD SCIM Provisioning",
      method: i % 3 === 0 ? "GET" : "PATCH",
      path: paths[i % paths.length].replace("%s", newId()),
      resource: i % 2 === 0 ? "Users" : "Groups",
      status: failed ? 409 : 200,
      outcome: failed ? "failure" : "success",
      errorCode: failed ? "uniqueness" : null,
      errorDetail: failed ? 'userName "someone@example.com" is already taken in this tenant.' : null,
      durationMs: (i % 400) / 10,
      requestId: newId(),
    });
  }
  await store.write((s) => s.activity.append(entries));
}
await store.close();
say(`loaded in ${Math.round((Date.now() - started) / 1000)} s`);

const sizes = values.db.startsWith("sqlite:") ? sqliteSizes(parseDatabaseUrl(values.db).filename) : await postgresSizes(values.db);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
console.log(`${users.toLocaleString("en-US")} users, ${activity.toLocaleString("en-US")} activity entries on ${values.db.split(":")[0]}`);
console.log("table (with its indexes)          MB     KB per 1,000 users");
for (const [table, bytes] of sizes.tables.sort((a, b) => b[1] - a[1])) {
  console.log(`${table.padEnd(30)} ${mb(bytes).padStart(8)}  ${(bytes / 1024 / (users / 1000)).toFixed(1).padStart(10)}`);
}
console.log(`${"whole database".padEnd(30)} ${mb(sizes.total).padStart(8)}  ${(sizes.total / 1024 / (users / 1000)).toFixed(1).padStart(10)}`);

/** Bytes per table (indexes included) from SQLite's dbstat, and the file size after a checkpoint. */
function sqliteSizes(file) {
  const db = new BetterSqlite3(file);
  db.pragma("wal_checkpoint(TRUNCATE)");
  const rows = db.prepare("select coalesce(s.tbl_name, d.name) as tbl, sum(d.pgsize) as bytes from dbstat d left join sqlite_schema s on s.name = d.name group by tbl").all();
  db.close();
  return { tables: rows.map((row) => [row.tbl, Number(row.bytes)]), total: statSync(file).size };
}

/** Bytes per table with its indexes and TOAST (pg_total_relation_size), and the database size. */
async function postgresSizes(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("vacuum analyze");
    const tables = await client.query("select relname, pg_total_relation_size(oid) as bytes from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace");
    const total = await client.query("select pg_database_size(current_database()) as bytes");
    return { tables: tables.rows.map((row) => [row.relname, Number(row.bytes)]), total: Number(total.rows[0].bytes) };
  } finally {
    await client.end();
  }
}
