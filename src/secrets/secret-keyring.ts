import type { SecretKey } from "./secret-key.js";

/**
 * The keys Muster encrypts and decrypts secrets with: the current key (every new encryption) and the
 * previous ones (decryption only, during a rotation). Built by loadSecretKeyring.
 */
export interface SecretKeyring {
  readonly current: SecretKey;
  readonly previous: readonly SecretKey[];
}

/** The key with this id among the current and previous keys. */
export function findSecretKey(keyring: SecretKeyring, id: string): SecretKey | undefined {
  if (keyring.current.id === id) return keyring.current;
  return keyring.previous.find((key) => key.id === id);
}
