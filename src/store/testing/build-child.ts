import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/**
 * Bundles store-child.ts for `node` and returns the script's path. The bundle is written under the
 * repository's node_modules/.cache so that its imports of better-sqlite3 and kysely resolve.
 */
export async function buildStoreChild(): Promise<string> {
  const entry = fileURLToPath(new URL("./store-child.ts", import.meta.url));
  const outDir = fileURLToPath(new URL("../../../node_modules/.cache/muster-store-child/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const name = `store-child-${process.pid}.mjs`;
  await build({
    configFile: false,
    logLevel: "silent",
    build: { ssr: entry, outDir, emptyOutDir: false, minify: false, rollupOptions: { output: { format: "es", entryFileNames: name } } },
  });
  return join(outDir, name);
}
