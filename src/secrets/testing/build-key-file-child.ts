import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/** Bundles key-file-child.ts into one script `node` can run (it imports only Node built-ins) and returns its path. */
export async function buildKeyFileChild(): Promise<string> {
  const entry = fileURLToPath(new URL("./key-file-child.ts", import.meta.url));
  const outDir = fileURLToPath(new URL("../../../node_modules/.cache/muster-key-file-child/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const name = `key-file-child-${process.pid}.mjs`;
  await build({
    configFile: false,
    logLevel: "silent",
    build: { ssr: entry, outDir, emptyOutDir: false, minify: false, rollupOptions: { output: { format: "es", entryFileNames: name } } },
  });
  return join(outDir, name);
}
