import { OutboundEngine } from "../../src/outbound/engine/outbound-engine.js";
import { secretKeyOf } from "../../src/secrets/secret-key.js";
import { openStore } from "../../src/store/open-store.js";

/*
 * A separate process running the outbound engine on a database, for tests that kill it (kill -9) in the
 * middle of its work: `node outbound-child.mjs <database url>`, the secret key as hex in MUSTER_TEST_SECRET_KEY.
 * Prints `ready <node id>` once the engine runs, and `held <app ids>` whenever the apps it holds change.
 */
const [databaseUrl] = process.argv.slice(2);
const key = process.env["MUSTER_TEST_SECRET_KEY"];
if (databaseUrl === undefined || key === undefined) throw new Error("usage: MUSTER_TEST_SECRET_KEY=<hex> outbound-child <database url>");
const store = await openStore(databaseUrl);
const engine = new OutboundEngine(store, { current: secretKeyOf(Buffer.from(key, "hex")), previous: [] }, {
  clients: { allowPrivateAddresses: true, timeoutMs: 5_000 },
  leaseMs: Number(process.env["MUSTER_TEST_LEASE_MS"] ?? 3_000),
  scanMs: 200,
  runner: { pollMs: 50 },
  onError: (error) => process.stderr.write(`engine error: ${String(error)}\n`),
});
engine.start();
process.stdout.write(`ready ${engine.nodeId}\n`);
let held = "";
setInterval(() => {
  const now = engine.heldApps().join(",");
  if (now !== held) process.stdout.write(`held ${now}\n`);
  held = now;
}, 100);
process.on("SIGTERM", () => {
  void engine.stop().then(() => store.close()).then(() => process.exit(0));
});
