#!/usr/bin/env node
// Entry point of the `muster` command; the compiled CLI lives in dist/ (built by `npm ci` / `npm run build`).
import { main } from "../dist/cli/main.js";

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
