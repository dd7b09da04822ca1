import { createInterface } from "node:readline";
import { newId } from "../ids.js";
import { openStore } from "../open-store.js";

/*
 * A separate process that writes to a store, for durability and cross-process tests. Usage:
 *   node store-child.mjs <database url> <tenant id> <command> [userName]
 * Commands: `insert <userName>` inserts one user and prints "ok <id>" once write() resolved, then waits
 * (the parent kills it); `insert-once <userName>` prints "ready", waits for a line on stdin, inserts and
 * exits printing "ok <id>" or "error <code>".
 */
async function main(): Promise<void> {
  const [url, tenantId, command, userName] = process.argv.slice(2);
  if (!url || !tenantId || !command || !userName) throw new Error("usage: <url> <tenant> <command> <userName>");
  const store = await openStore(url);
  if (command === "insert-once") {
    // Say "ready", then wait for a line on stdin, so that every child is connected before the race starts.
    process.stdout.write("ready\n");
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => lines.once("line", () => resolve()));
    lines.close();
  }
  const id = newId();
  try {
    await store.write((session) => session.resources.insert({ tenantId, id, type: "User", attributes: { userName }, created: new Date().toISOString() }));
    process.stdout.write(`ok ${id}\n`);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unknown";
    process.stdout.write(`error ${code}\n`);
  }
  if (command === "insert") {
    // Stay alive with the store open: the parent kills this process with SIGKILL.
    setInterval(() => undefined, 1000);
    return;
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
