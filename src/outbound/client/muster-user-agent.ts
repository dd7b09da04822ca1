import { existsSync, readFileSync } from "node:fs";

let cached: string | undefined;

/** `Muster/<version>` from Muster's package.json (found by walking up from this file: src/ in tests, dist/src/ when built). */
export function musterUserAgent(): string {
  if (cached !== undefined) return cached;
  let version = "unknown";
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    const candidate = new URL("package.json", dir);
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "muster" && typeof manifest.version === "string") {
        version = manifest.version;
        break;
      }
    }
    if (dir.pathname === "/") break;
  }
  cached = `Muster/${version}`;
  return cached;
}
