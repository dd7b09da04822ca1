import { fail, ok, type Result } from "../scim/result.js";

/** The parts of an encrypted value: `v1:<key id>:<iv>:<tag>:<ciphertext>`, the last three base64url. */
export interface SecretEnvelope {
  readonly version: "v1";
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** GCM's recommended 96-bit nonce (NIST SP 800-38D §8.2) and its full 128-bit tag. */
export const ivBytes = 12;
export const tagBytes = 16;

const base64url = /^[A-Za-z0-9_-]*$/;

/** Writes an envelope as text. */
export function formatSecretEnvelope(envelope: SecretEnvelope): string {
  const { version, keyId, iv, tag, ciphertext } = envelope;
  return [version, keyId, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":");
}

/** The header bound into the associated data, so that version and key id cannot be changed either. */
export function envelopeHeader(version: string, keyId: string): string {
  return `${version}:${keyId}`;
}

/** Reads an envelope; the error is a phrase saying what is wrong with the text (never the text itself). */
export function parseSecretEnvelope(text: string): Result<SecretEnvelope, string> {
  if (typeof text !== "string") return fail("it is not text");
  const parts = text.split(":");
  const [version, keyId, iv, tag, ciphertext] = parts;
  if (version !== "v1") {
    if (version !== undefined && /^v\d+$/.test(version) && parts.length >= 2) {
      return fail(`it is in format ${version}, which this version of Muster cannot read (was it written by a newer one?)`);
    }
    return fail("it is not a value encrypted by Muster (expected v1:<key id>:<iv>:<tag>:<ciphertext>)");
  }
  if (parts.length !== 5 || keyId === undefined || iv === undefined || tag === undefined || ciphertext === undefined) {
    return fail(`it has ${parts.length} parts separated by ":", not 5 (v1:<key id>:<iv>:<tag>:<ciphertext>)`);
  }
  if (!/^[0-9a-f]{8}$/.test(keyId)) return fail("its key id is not 8 hex digits");
  // Only the canonical encoding is accepted, so that no two texts stand for the same value.
  if (![iv, tag, ciphertext].every((part) => base64url.test(part) && Buffer.from(part, "base64url").toString("base64url") === part)) {
    return fail("it is not base64url after the key id");
  }
  const envelope = { version, keyId, iv: Buffer.from(iv, "base64url"), tag: Buffer.from(tag, "base64url"), ciphertext: Buffer.from(ciphertext, "base64url") } as const;
  if (envelope.iv.length !== ivBytes || envelope.tag.length !== tagBytes) return fail("its IV or authentication tag has the wrong length");
  return ok(envelope);
}
