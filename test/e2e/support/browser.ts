import { execFileSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

/** Where Debian's Chromium is: $MUSTER_CHROMIUM, else `chromium` on the PATH. Fails with the reason, never skips. */
export function chromiumPath(): string {
  const configured = process.env.MUSTER_CHROMIUM;
  if (configured) return configured;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim().split("\n")[0]!;
  } catch {
    throw new Error("Chromium is not installed: the console's browser tests need Debian's chromium package (`apt-get install -y chromium`; .ci/run installs it).");
  }
}

/** Launches headless Chromium the way this machine allows (no sandbox as root, no background networking). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
}
