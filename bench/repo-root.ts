import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Muster repository this file belongs to (from bench/ in tests, from dist/bench/ when built). */
export function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "muster") return dir;
    if (dirname(dir) === dir) throw new Error("cannot find the Muster repository (package.json named muster)");
  }
}
