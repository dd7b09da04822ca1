import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { brotliCompressSync, createBrotliCompress } from "node:zlib";
import { pack } from "tar-fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { packagedChromium, testChromium, unpackChromium } from "../../../tools/chromium.js";

let scratch: string;
afterEach(() => {
  vi.unstubAllEnvs();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A bin/ laid out as @sparticuz/chromium's, with tiny contents. */
async function fakeBin(): Promise<string> {
  scratch = mkdtempSync(join(tmpdir(), "muster-chromium-"));
  const bin = join(scratch, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "chromium.br"), brotliCompressSync(Buffer.from("#!/bin/sh\necho chromium\n")));
  const trees: Record<string, Record<string, string>> = {
    al2023: { "lib/libnss3.so": "nss" },
    fonts: { "fonts.conf": "<fontconfig><dir>/tmp/fonts</dir></fontconfig>", "fonts/Open_Sans/OpenSans-Regular.ttf": "font" },
    swiftshader: { "libGLESv2.so": "gl" },
  };
  for (const [name, files] of Object.entries(trees)) {
    const tree = join(scratch, "trees", name);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(tree, path, ".."), { recursive: true });
      writeFileSync(join(tree, path), content);
    }
    await pipeline(pack(tree), createBrotliCompress(), createWriteStream(join(bin, `${name}.tar.br`)));
  }
  return bin;
}

describe("unpackChromium", () => {
  it("unpacks the program, its libraries, SwiftShader and fonts, with a fonts.conf naming the bundled fonts and the machine's", async () => {
    const bin = await fakeBin();
    const target = join(scratch, "cache", "153.0.0");
    await unpackChromium(bin, target);
    expect(readFileSync(join(target, "chromium"), "utf8")).toContain("echo chromium");
    expect(existsSync(join(target, "lib", "libnss3.so"))).toBe(true);
    expect(existsSync(join(target, "libGLESv2.so"))).toBe(true);
    expect(existsSync(join(target, "fonts", "Open_Sans", "OpenSans-Regular.ttf"))).toBe(true);
    const conf = readFileSync(join(target, "fonts.conf"), "utf8");
    expect(conf).toContain(`<dir>${join(target, "fonts")}</dir>`);
    expect(conf).toContain('<include ignore_missing="yes">/etc/fonts/fonts.conf</include>');
    expect(conf).not.toContain("/tmp/fonts");
  });

  it("leaves one complete directory and no staging directories when several processes unpack at once", async () => {
    const bin = await fakeBin();
    const target = join(scratch, "cache", "153.0.0");
    await Promise.all([unpackChromium(bin, target), unpackChromium(bin, target), unpackChromium(bin, target)]);
    expect(readdirSync(join(scratch, "cache"))).toEqual(["153.0.0"]);
    expect(existsSync(join(target, "chromium"))).toBe(true);
  });

  it("removes its staging directory and fails when an archive is broken", async () => {
    const bin = await fakeBin();
    writeFileSync(join(bin, "fonts.tar.br"), "not brotli");
    const target = join(scratch, "cache", "153.0.0");
    await expect(unpackChromium(bin, target)).rejects.toThrow();
    expect(readdirSync(join(scratch, "cache"))).toEqual([]);
  });
});

describe("testChromium", () => {
  it("gives the packaged build its libraries and fonts through the browser's environment only", async () => {
    vi.stubEnv("MUSTER_CHROMIUM", "");
    if (process.platform !== "linux" || process.arch !== "x64") {
      await expect(packagedChromium()).rejects.toThrow(/Linux x64 only, not .*: set MUSTER_CHROMIUM/);
      return;
    }
    const chromium = await packagedChromium();
    expect(chromium.executablePath).toMatch(/node_modules\/\.cache\/muster-chromium\/[^/]+\/chromium$/);
    expect(chromium.env["LD_LIBRARY_PATH"]!.split(":")[0]).toBe(join(chromium.executablePath, "..", "lib"));
    expect(chromium.env["FONTCONFIG_FILE"]).toBe(join(chromium.executablePath, "..", "fonts.conf"));
    expect(process.env["FONTCONFIG_FILE"]).toBeUndefined();
    expect(await testChromium()).toEqual(chromium);
  });

  it("uses the Chromium that MUSTER_CHROMIUM names, in this process's environment", async () => {
    vi.stubEnv("MUSTER_CHROMIUM", "/opt/chromium/chrome");
    const chromium = await testChromium();
    expect(chromium.executablePath).toBe("/opt/chromium/chrome");
    expect(chromium.env["FONTCONFIG_FILE"]).toBe(process.env["FONTCONFIG_FILE"]);
  });
});
