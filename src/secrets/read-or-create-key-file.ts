import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, mkdir, open, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { parseSecretKey, secretKeyBytes, secretKeyFormat, type SecretKey } from "./secret-key.js";
import { SecretKeyError } from "./secret-key-error.js";

/** Mode bits that let anyone but the owner read or write the key file. */
const groupOrOther = 0o077;

/**
 * The key in `path`, created with a fresh random key on first use. Creation is atomic and exclusive: the
 * key is written and synced to a private temporary file which is then hard-linked to `path`, which fails
 * when the name exists; so concurrent starts (`muster serve --workers`) all end up with the one key that
 * won, and nobody ever reads a half-written file. A key file that group or others may read or write is
 * refused, with the command that fixes it.
 */
export async function readOrCreateKeyFile(path: string): Promise<SecretKey> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await createKeyFile(path);
  const created = await readKeyFile(path);
  if (!created) throw new SecretKeyError(`The secret key file ${path} vanished right after it was created; is another program deleting it?`);
  return created;
}

/** The key in the file, or undefined when there is no file. */
async function readKeyFile(path: string): Promise<SecretKey | undefined> {
  let handle;
  try {
    // O_NOFOLLOW is left out on purpose: a symlink to a key on a secrets volume is a normal deployment.
    handle = await open(path, constants.O_RDONLY);
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw new SecretKeyError(`Cannot open the secret key file ${path} (MUSTER_SECRET_KEY_FILE): ${messageOf(error)}.`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new SecretKeyError(`The secret key file ${path} (MUSTER_SECRET_KEY_FILE) is not a regular file.`);
    if (process.platform !== "win32" && (stats.mode & groupOrOther) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(3, "0");
      throw new SecretKeyError(
        `The secret key file ${path} can be read or changed by other users (mode ${mode}); Muster refuses to use it. ` +
          `Restrict it to its owner with: chmod 600 ${shellQuote(path)}`,
      );
    }
    const text = await handle.readFile("utf8");
    const key = parseSecretKey(text);
    if (!key.ok) {
      throw new SecretKeyError(
        `The secret key file ${path} (MUSTER_SECRET_KEY_FILE) does not hold a key: it ${key.error.replace(/^must be/, "must contain")}. ` +
          `Restore it from a backup; without the right key, stored target tokens cannot be decrypted and must be entered again.`,
      );
    }
    return key.value;
  } finally {
    await handle.close();
  }
}

async function createKeyFile(path: string): Promise<void> {
  const directory = dirname(path);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new SecretKeyError(`Cannot create the directory ${directory} for the secret key file (MUSTER_SECRET_KEY_FILE): ${messageOf(error)}.`);
  }
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      // The umask can only remove bits; chmod makes 0600 explicit whatever it is.
      await handle.chmod(0o600);
      await handle.writeFile(`${randomBytes(secretKeyBytes).toString("base64")}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, path);
    } catch (error) {
      // Another process linked its key first: everybody uses that one.
      if (!isCode(error, "EEXIST")) throw error;
    }
    await syncDirectory(directory);
  } catch (error) {
    if (error instanceof SecretKeyError) throw error;
    throw new SecretKeyError(
      `Cannot create the secret key file ${path} (MUSTER_SECRET_KEY_FILE): ${messageOf(error)}. ` +
        `Make its directory writable, point MUSTER_SECRET_KEY_FILE elsewhere, or set MUSTER_SECRET_KEY to ${secretKeyFormat}.`,
    );
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Makes the new directory entry durable; some platforms cannot open a directory, which is not worth failing over. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only (Windows cannot fsync a directory).
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as NodeJS.ErrnoException).code === code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function shellQuote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
