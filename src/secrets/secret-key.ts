import { createHash, createSecretKey, hkdfSync, type KeyObject } from "node:crypto";
import { fail, ok, type Result } from "../scim/result.js";

/** A 256-bit key for secrets Muster must send on, with the short id that names it in ciphertexts. */
export interface SecretKey {
  /** 8 hex digits derived from the key (never the key): tells which key a value was encrypted under. */
  readonly id: string;
  /**
   * The AES-256-GCM key, derived from the configured key material so that it serves this purpose only. A
   * KeyObject, so that logging or serialising a keyring by mistake shows no key material.
   */
  readonly encryptionKey: KeyObject;
}

/** How many bytes a key has (AES-256). */
export const secretKeyBytes = 32;

const hexKey = /^[0-9a-fA-F]{64}$/;
const base64Key = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/** How a key must be written, for error messages and docs. */
export const secretKeyFormat = `${secretKeyBytes} random bytes written as 64 hex digits or 44 base64 characters (make one with: openssl rand -base64 32)`;

/**
 * Reads key material written as 64 hex digits or as base64 / base64url (43 or 44 characters) of exactly
 * 32 bytes; surrounding whitespace is ignored. The error describes the format, never the text given
 * (it may be a real secret set in the wrong place).
 */
export function parseSecretKey(text: string): Result<SecretKey, string> {
  const trimmed = text.trim();
  let material: Buffer | undefined;
  if (hexKey.test(trimmed)) material = Buffer.from(trimmed, "hex");
  else if (base64Key.test(trimmed)) material = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (material === undefined || material.length !== secretKeyBytes) {
    return fail(`must be ${secretKeyFormat}; got ${trimmed.length} characters`);
  }
  return ok(secretKeyOf(material));
}

/** The SecretKey for raw 32-byte key material. */
export function secretKeyOf(material: Buffer): SecretKey {
  if (material.length !== secretKeyBytes) throw new RangeError(`a secret key has ${secretKeyBytes} bytes, not ${material.length}`);
  // A domain-separated hash: the id reveals nothing usable about the key, and no other Muster hash of it can equal it.
  const id = createHash("sha256").update("muster secret key id\0").update(material).digest("hex").slice(0, 8);
  const encryptionKey = createSecretKey(Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), "muster secrets aes-256-gcm v1", secretKeyBytes)));
  return { id, encryptionKey };
}
