import { readOrCreateKeyFile } from "./read-or-create-key-file.js";
import { parseSecretKey, type SecretKey } from "./secret-key.js";
import { SecretKeyError } from "./secret-key-error.js";
import type { SecretKeyring } from "./secret-keyring.js";

/** Where the keys come from: the secret settings of Config. */
export interface SecretKeySettings {
  /** MUSTER_SECRET_KEY; when set, the key file is neither read nor created. */
  readonly secretKey: string | undefined;
  /** MUSTER_SECRET_KEY_FILE: read, or created on first start, when no key is set. */
  readonly secretKeyFile: string;
  /** MUSTER_SECRET_KEY_PREVIOUS: keys that only decrypt, during a rotation. */
  readonly previousSecretKeys: readonly string[];
}

/**
 * Loads the keyring once at start: the current key from MUSTER_SECRET_KEY or else the key file (created
 * with mode 0600 if absent), plus the previous keys. Throws SecretKeyError with a message that names the
 * setting and the fix; never includes key material.
 */
export async function loadSecretKeyring(settings: SecretKeySettings): Promise<SecretKeyring> {
  const current = settings.secretKey !== undefined ? parseSetting(settings.secretKey, "MUSTER_SECRET_KEY") : await readOrCreateKeyFile(settings.secretKeyFile);
  const previous: SecretKey[] = [];
  settings.previousSecretKeys.forEach((text, index) => {
    const key = parseSetting(text, `MUSTER_SECRET_KEY_PREVIOUS (entry ${index + 1})`);
    // The current key listed as previous too is harmless (common mid-rotation); keep each key once.
    if (key.id !== current.id && !previous.some((known) => known.id === key.id)) previous.push(key);
  });
  return { current, previous };
}

function parseSetting(text: string, name: string): SecretKey {
  const key = parseSecretKey(text);
  if (!key.ok) throw new SecretKeyError(`${name} ${key.error}.`);
  return key.value;
}
