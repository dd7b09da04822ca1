import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/** Bundles outbound-child.ts for `node` (under node_modules/.cache, so its imports resolve) and returns the script's path. */
export async function buildOutboundChild(): Promise<string> {
  const entry = fileURLToPath(new URL("./outbound-child.ts", import.meta.url));
  const outDir = fileURLToPath(new URL("../../node_modules/.cache/muster-outbound-child/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const name = `outbound-child-${process.pid}.mjs`;
  await build({
    configFile: false,
    logLevel: "silent",
    build: { ssr: entry, outDir, emptyOutDir: false, minify: false, target: "node20", rollupOptions: { output: { format: "es", entryFileNames: name } } },
  });
  return join(outDir, name);
}
