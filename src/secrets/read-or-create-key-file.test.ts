import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSecretKeyring } from "./load-secret-keyring.js";
import { readOrCreateKeyFile } from "./read-or-create-key-file.js";
import { parseSecretKey } from "./secret-key.js";
import { SecretKeyError } from "./secret-key-error.js";
import { buildKeyFileChild } from "./testing/build-key-file-child.js";

const run = promisify(execFile);
const posix = process.platform !== "win32";
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "muster-key-file-"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function idOf(text: string): string {
  const key = parseSecretKey(text);
  if (!key.ok) throw new Error(key.error);
  return key.value.id;
}

function freshDirectory(): string {
  return mkdtempSync(join(root, "case-"));
}

describe("readOrCreateKeyFile", () => {
  it("creates a key file with mode 0600 (and its directory) on first use, then reads the same key", async () => {
    const path = join(freshDirectory(), "data", "secret.key");
    const created = await readOrCreateKeyFile(path);
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(parseSecretKey(text)).toMatchObject({ ok: true, value: { id: created.id } });
    expect((await readOrCreateKeyFile(path)).id).toBe(created.id);
    expect(readdirSync(join(path, "..")), "no temporary file is left behind").toEqual(["secret.key"]);
  });

  it("gives every concurrent caller in one process the same key", async () => {
    const path = join(freshDirectory(), "secret.key");
    const keys = await Promise.all(Array.from({ length: 8 }, () => readOrCreateKeyFile(path)));
    expect(new Set(keys.map((key) => key.id)).size).toBe(1);
    expect(readdirSync(join(path, ".."))).toEqual(["secret.key"]);
  });

  it("reads a key file written by hand, in hex", async () => {
    const path = join(freshDirectory(), "secret.key");
    writeFileSync(path, `${"c3".repeat(32)}\n`, { mode: 0o600 });
    expect((await readOrCreateKeyFile(path)).id).toBe(idOf("c3".repeat(32)));
  });

  it.runIf(posix)("refuses a key file that group or others can read, with the chmod that fixes it", async () => {
    const path = join(freshDirectory(), "secret.key");
    await readOrCreateKeyFile(path);
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(path, mode);
      const attempt = readOrCreateKeyFile(path);
      await expect(attempt).rejects.toThrow(SecretKeyError);
      await expect(readOrCreateKeyFile(path)).rejects.toThrow(`mode ${mode.toString(8)}); Muster refuses to use it. Restrict it to its owner with: chmod 600 ${path}`);
    }
    chmodSync(path, 0o400);
    await expect(readOrCreateKeyFile(path)).resolves.toBeDefined();
  });

  it.runIf(posix)("follows a symlink to a key on a secrets volume and checks the target's mode", async () => {
    const directory = freshDirectory();
    const target = join(directory, "mounted.key");
    writeFileSync(target, `${Buffer.alloc(32, 9).toString("base64")}\n`, { mode: 0o600 });
    symlinkSync(target, join(directory, "secret.key"));
    await expect(readOrCreateKeyFile(join(directory, "secret.key"))).resolves.toBeDefined();
    chmodSync(target, 0o644);
    await expect(readOrCreateKeyFile(join(directory, "secret.key"))).rejects.toThrow("chmod 600");
  });

  it("refuses a file that holds no key, saying what is lost without it", async () => {
    const path = join(freshDirectory(), "secret.key");
    writeFileSync(path, "not a key\n", { mode: 0o600 });
    await expect(readOrCreateKeyFile(path)).rejects.toThrow(/does not hold a key: it must contain 32 random bytes.*Restore it from a backup/);
  });

  it.runIf(posix)("says so when the directory is not writable", async () => {
    const directory = freshDirectory();
    const expected = /Cannot create the secret key file .*MUSTER_SECRET_KEY_FILE.*set MUSTER_SECRET_KEY/;
    if (process.getuid?.() === 0) {
      // Root writes anywhere: the attempt runs in a child process as the unprivileged `nobody` instead.
      chmodSync(root, 0o755);
      chmodSync(directory, 0o555);
      // The checkout may be in a directory only root can enter: nobody runs a copy from the test's own directory.
      const child = join(root, "key-file-child.mjs");
      copyFileSync(await buildKeyFileChild(), child);
      chmodSync(child, 0o644);
      try {
        const failed = await run(process.execPath, [child, join(directory, "secret.key"), "0"], { uid: 65_534, gid: 65_534 }).then(
          () => undefined,
          (error: { stderr: string }) => error.stderr,
        );
        expect(failed).toMatch(expected);
      } finally {
        rmSync(child, { force: true });
        chmodSync(directory, 0o700);
        chmodSync(root, 0o700);
      }
      return;
    }
    chmodSync(directory, 0o500);
    try {
      await expect(readOrCreateKeyFile(join(directory, "secret.key"))).rejects.toThrow(expected);
    } finally {
      chmodSync(directory, 0o700);
    }
  });

  describe("in two processes starting at once", () => {
    let child: string;
    beforeAll(async () => {
      child = await buildKeyFileChild();
    });
    afterAll(() => {
      rmSync(child, { force: true });
    });

    it("creates one key that both use", async () => {
      for (let round = 0; round < 5; round += 1) {
        const path = join(freshDirectory(), "data", "secret.key");
        const startAt = String(Date.now() + 400);
        const outputs = await Promise.all([run(process.execPath, [child, path, startAt]), run(process.execPath, [child, path, startAt])]);
        const ids = outputs.map((output) => output.stdout.trim());
        expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
        expect(ids[1]).toBe(ids[0]);
        expect(readdirSync(join(path, ".."))).toEqual(["secret.key"]);
        if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
      }
    });
  });
});

describe("loadSecretKeyring", () => {
  const hexA = "a1".repeat(32);
  const hexB = "b2".repeat(32);

  it("takes MUSTER_SECRET_KEY over the key file, which it then neither reads nor creates", async () => {
    const path = join(freshDirectory(), "secret.key");
    const ring = await loadSecretKeyring({ secretKey: hexA, secretKeyFile: path, previousSecretKeys: [] });
    expect(ring.current.id).toBe(idOf(hexA));
    expect(() => statSync(path)).toThrow();
  });

  it("falls back to the key file, and adds previous keys once each, without the current one", async () => {
    const path = join(freshDirectory(), "secret.key");
    const ring = await loadSecretKeyring({ secretKey: undefined, secretKeyFile: path, previousSecretKeys: [hexA, hexB, hexA] });
    const fromFile = await readOrCreateKeyFile(path);
    expect(ring.current.id).toBe(fromFile.id);
    expect(ring.previous.map((key) => key.id)).toEqual([idOf(hexA), idOf(hexB)]);
    const same = await loadSecretKeyring({ secretKey: hexA, secretKeyFile: path, previousSecretKeys: [hexA, hexB] });
    expect(same.previous).toHaveLength(1);
  });

  it("names the setting of a malformed key and never includes it", async () => {
    const attempt = loadSecretKeyring({ secretKey: undefined, secretKeyFile: join(freshDirectory(), "k"), previousSecretKeys: [hexA, "hunter2"] });
    await expect(attempt).rejects.toThrow("MUSTER_SECRET_KEY_PREVIOUS (entry 2) must be 32 random bytes");
    const error = await loadSecretKeyring({ secretKey: "hunter2", secretKeyFile: "unused", previousSecretKeys: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretKeyError);
    expect((error as Error).message).toMatch(/^MUSTER_SECRET_KEY must be/);
    expect((error as Error).message).not.toContain("hunter2");
  });
});
