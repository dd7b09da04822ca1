import { parseSecretEnvelope } from "./secret-envelope.js";
import type { SecretKeyring } from "./secret-keyring.js";

/**
 * True when a stored value is not in the current format under the current key, so a rotation should
 * re-encrypt it (decryptSecret with the old key, then encryptSecret). Unreadable values count as needing it.
 */
export function needsReencryption(keyring: SecretKeyring, text: string): boolean {
  const envelope = parseSecretEnvelope(text);
  return !envelope.ok || envelope.value.keyId !== keyring.current.id;
}
