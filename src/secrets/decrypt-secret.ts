import { createDecipheriv } from "node:crypto";
import { fail, ok, type Result } from "../scim/result.js";
import { envelopeHeader, parseSecretEnvelope } from "./secret-envelope.js";
import { findSecretKey, type SecretKeyring } from "./secret-keyring.js";

/** Why a value did not decrypt. */
export interface SecretDecryptionError {
  /**
   * `malformed`: not a value encrypted by Muster; `unknownKey`: encrypted under a key that is not
   * configured; `rejected`: the key is right but authentication failed (altered, or bound to another record).
   */
  readonly code: "malformed" | "unknownKey" | "rejected";
  /** A sentence for logs and the admin; never contains the value or a key. */
  readonly message: string;
}

/**
 * Decrypts a value made by encryptSecret with the current or a previous key, chosen by the key id in the
 * value. `associatedData` must be exactly what it was encrypted with.
 */
export function decryptSecret(keyring: SecretKeyring, text: string, associatedData: string): Result<string, SecretDecryptionError> {
  const envelope = parseSecretEnvelope(text);
  if (!envelope.ok) return fail({ code: "malformed", message: `The stored secret cannot be read: ${envelope.error}.` });
  const { version, keyId, iv, tag, ciphertext } = envelope.value;
  const key = findSecretKey(keyring, keyId);
  if (!key) {
    const previous = keyring.previous.length === 0 ? "no previous keys are configured" : `nor is any of the previous keys (${keyring.previous.map((k) => k.id).join(", ")})`;
    return fail({
      code: "unknownKey",
      message:
        `The stored secret was encrypted under key ${keyId}, but the configured key is ${keyring.current.id} and ${previous}. ` +
        `Configure the key it was encrypted with (MUSTER_SECRET_KEY, or MUSTER_SECRET_KEY_PREVIOUS during a rotation), or enter the secret again.`,
    });
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.encryptionKey, iv, { authTagLength: tag.length });
    decipher.setAAD(Buffer.from(`${envelopeHeader(version, keyId)}\n${associatedData}`, "utf8"));
    decipher.setAuthTag(tag);
    return ok(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8"));
  } catch {
    return fail({
      code: "rejected",
      message: `The stored secret does not authenticate under key ${keyId}: it was altered, or it belongs to another record. Enter the secret again.`,
    });
  }
}
