import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import { chromium, type Browser } from "playwright-core";
import { extract, type Headers } from "tar-fs";

/*
 * The console's browser tests (and the screenshots for docs) drive the Chromium (chrome-headless-shell for Linux x64) that the
 * @sparticuz/chromium devDependency ships brotli-compressed, together with the libraries it needs beyond
 * glibc (NSS, NSPR, expat), SwiftShader and a font — so a machine needs nothing but Node.js. It is unpacked
 * once per package version into node_modules/.cache/muster-chromium/<version>/, whole or not at all; the
 * libraries and fonts reach the Chromium process only, through its environment. MUSTER_CHROMIUM names
 * another Chromium for machines where that build cannot run.
 */

/** A Chromium program and the environment to start it with. */
export interface ChromiumInstallation {
  readonly executablePath: string;
  readonly env: Readonly<Record<string, string>>;
}

/** The archives of the package's bin/ that the unpacked directory holds, besides the `chromium` program. */
const archives = ["al2023.tar.br", "fonts.tar.br", "swiftshader.tar.br"];

/** The bundled fonts first, then whatever the machine has, for the characters Open Sans lacks. */
function fontsConf(directory: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${join(directory, "fonts")}</dir>
  <cachedir>${join(directory, "fonts-cache")}</cachedir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
</fontconfig>
`;
}

/** As root tar-fs would give files the archive's owners (uid 1001 for the fonts); they belong to whoever unpacks them. */
const ownedByUs = (header: Headers): Headers => ({ ...header, uid: process.getuid?.() ?? header.uid, gid: process.getgid?.() ?? header.gid });

/**
 * Unpacks a @sparticuz/chromium bin/ into `target` through a staging directory renamed into place, so no
 * reader sees half of it; when several processes race, the first rename wins and the others use its result.
 */
export async function unpackChromium(bin: string, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    await pipeline(createReadStream(join(bin, "chromium.br")), createBrotliDecompress(), createWriteStream(join(staging, "chromium"), { mode: 0o755 }));
    for (const archive of archives) await pipeline(createReadStream(join(bin, archive)), createBrotliDecompress(), extract(staging, { map: ownedByUs }));
    // Replaces the archive's fonts.conf, which names the serverless platforms' font directories.
    writeFileSync(join(staging, "fonts.conf"), fontsConf(target));
    chmodSync(staging, 0o755);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another test process unpacked the same version first: use its directory.
    if (existsSync(target)) return;
    throw error;
  }
}

/** The directory and version of the package `name` whose entry point is `entry` (the entry may sit in a build/ subfolder). */
function packageOf(entry: string, name: string): { packageDir: string; version: string } {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name: found, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version: string };
    if (found === name) return { packageDir: dir, version };
  }
  throw new Error(`${name} is installed without its package.json above ${entry}`);
}

/** The @sparticuz/chromium build (Linux x64), unpacked into the project's node_modules/.cache on first use. */
export async function packagedChromium(): Promise<ChromiumInstallation> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`@sparticuz/chromium ships Chromium for Linux x64 only, not ${process.platform}-${process.arch}: set MUSTER_CHROMIUM to a Chromium or Chrome program to run the console's browser tests.`);
  }
  const { packageDir, version } = packageOf(createRequire(import.meta.url).resolve("@sparticuz/chromium"), "@sparticuz/chromium");
  const target = join(packageDir, "..", "..", ".cache", "muster-chromium", version);
  if (!existsSync(target)) await unpackChromium(join(packageDir, "bin"), target);
  const libraries = [join(target, "lib"), process.env["LD_LIBRARY_PATH"]].filter((entry) => entry).join(":");
  return {
    executablePath: join(target, "chromium"),
    env: { ...(process.env as Record<string, string>), LD_LIBRARY_PATH: libraries, FONTCONFIG_FILE: join(target, "fonts.conf") },
  };
}

/** The Chromium the tests use: the one $MUSTER_CHROMIUM names, else the packaged build. */
export async function testChromium(): Promise<ChromiumInstallation> {
  const configured = process.env["MUSTER_CHROMIUM"];
  if (configured) return { executablePath: configured, env: process.env as Record<string, string> };
  return packagedChromium();
}

/** Launches headless Chromium the way this machine allows (no sandbox as root, no background networking). */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, env } = await testChromium();
  return chromium.launch({
    executablePath,
    env,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
}
