#!/usr/bin/env node
// Entry point of the `muster` command; the compiled CLI lives in dist/ (built by `npm ci` and `npm run build`).
let cli;
try {
  cli = await import("../dist/src/cli/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.error("muster: the compiled CLI is missing; run `npm ci` (or `npm run build`) in the Muster folder first.");
  process.exit(1);
}

cli.main(process.argv).catch((error) => {
  console.error(`muster: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
