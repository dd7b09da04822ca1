import { ok, type Result } from "../scim/result.js";
import { decryptSecret, type SecretDecryptionError } from "./decrypt-secret.js";
import { encryptSecret } from "./encrypt-secret.js";
import { needsReencryption } from "./needs-reencryption.js";
import type { SecretKeyring } from "./secret-keyring.js";

/**
 * The value re-encrypted under the current key (for a rotation), or the same text when it already is;
 * fails as decryptSecret does when no configured key opens it.
 */
export function reencryptSecret(keyring: SecretKeyring, text: string, associatedData: string): Result<string, SecretDecryptionError> {
  if (!needsReencryption(keyring, text)) return ok(text);
  const plain = decryptSecret(keyring, text, associatedData);
  return plain.ok ? ok(encryptSecret(keyring, plain.value, associatedData)) : plain;
}
