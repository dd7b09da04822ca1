import { createCipheriv, randomBytes } from "node:crypto";
import { envelopeHeader, formatSecretEnvelope, ivBytes } from "./secret-envelope.js";
import type { SecretKeyring } from "./secret-keyring.js";

/**
 * Encrypts a secret Muster must send on (a target's bearer token) with AES-256-GCM under the current key
 * and a fresh random 96-bit IV. `associatedData` names what the value protects, e.g.
 * `app:<tenant id>:<app id>:token`: it is authenticated, not stored, so the value decrypts only for that
 * same record (moving it to another row fails). Returns `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url).
 */
export function encryptSecret(keyring: SecretKeyring, plaintext: string, associatedData: string): string {
  const key = keyring.current;
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key.encryptionKey, iv);
  cipher.setAAD(Buffer.from(`${envelopeHeader("v1", key.id)}\n${associatedData}`, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return formatSecretEnvelope({ version: "v1", keyId: key.id, iv, tag: cipher.getAuthTag(), ciphertext });
}
