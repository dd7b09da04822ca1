import { readOrCreateKeyFile } from "../read-or-create-key-file.js";

/*
 * A separate process for the key file race test: waits until the given instant (so that several children
 * start creating at once), loads the key file named on the command line and prints the key's id.
 */
const [path, startAt] = process.argv.slice(2);
if (path === undefined || startAt === undefined) throw new Error("usage: key-file-child <path> <start-at-ms>");
while (Date.now() < Number(startAt)) {
  // Spin rather than sleep: timers are too coarse to line two processes up.
}
readOrCreateKeyFile(path).then(
  (key) => process.stdout.write(`${key.id}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
