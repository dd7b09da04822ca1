import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { decryptSecret } from "./decrypt-secret.js";
import { encryptSecret } from "./encrypt-secret.js";
import { needsReencryption } from "./needs-reencryption.js";
import { reencryptSecret } from "./reencrypt-secret.js";
import { parseSecretEnvelope } from "./secret-envelope.js";
import { parseSecretKey, secretKeyOf, type SecretKey } from "./secret-key.js";
import type { SecretKeyring } from "./secret-keyring.js";

const keyA = secretKeyOf(Buffer.alloc(32, 1));
const keyB = secretKeyOf(Buffer.alloc(32, 2));
const ring = (current: SecretKey, ...previous: SecretKey[]): SecretKeyring => ({ current, previous });
const ad = "app:tenant-1:app-1:token";

describe("parseSecretKey", () => {
  it("reads 32 bytes as hex, base64 or base64url and gives the same key for each", () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 250));
    const forms = [bytes.toString("hex"), bytes.toString("hex").toUpperCase(), bytes.toString("base64"), bytes.toString("base64url"), ` ${bytes.toString("base64")}\n`];
    const ids = forms.map((text) => {
      const parsed = parseSecretKey(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value.id;
    });
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
  });

  it("refuses anything but 32 bytes, saying the format and not the text", () => {
    for (const text of ["", "secret", "ab".repeat(31), "ab".repeat(33), Buffer.alloc(31).toString("base64"), Buffer.alloc(33).toString("base64"), "zz".repeat(32)]) {
      const parsed = parseSecretKey(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error).toContain("32 random bytes written as 64 hex digits or 44 base64 characters");
        if (text !== "") expect(parsed.error).not.toContain(text);
      }
    }
  });
});

describe("encryptSecret and decryptSecret", () => {
  it("round-trips text, including empty and non-ASCII text, with a fresh IV every time", () => {
    for (const plain of ["mst_token-123", "", "päßwörd 🔑", "x".repeat(10_000)]) {
      const first = encryptSecret(ring(keyA), plain, ad);
      const second = encryptSecret(ring(keyA), plain, ad);
      expect(first).not.toBe(second);
      expect(first).toMatch(new RegExp(`^v1:${keyA.id}:[\\w-]{16}:[\\w-]{22}:[\\w-]*$`));
      expect(decryptSecret(ring(keyA), first, ad)).toEqual({ ok: true, value: plain });
      expect(decryptSecret(ring(keyA), second, ad)).toEqual({ ok: true, value: plain });
    }
  });

  it("never contains the plaintext", () => {
    const text = encryptSecret(ring(keyA), "bearer-token-value", ad);
    expect(text).not.toContain("bearer");
    expect(Buffer.from(text.split(":")[4] ?? "", "base64url").toString("utf8")).not.toContain("bearer");
  });

  it("fails when any byte of the IV, tag or ciphertext is changed", () => {
    const text = encryptSecret(ring(keyA), "a secret token", ad);
    const envelope = parseSecretEnvelope(text);
    if (!envelope.ok) throw new Error(envelope.error);
    const { iv, tag, ciphertext } = envelope.value;
    const parts = text.split(":");
    const buffers = [iv, tag, ciphertext];
    buffers.forEach((buffer, which) => {
      for (let index = 0; index < buffer.length; index += 1) {
        const altered = Buffer.from(buffer);
        altered[index] = (altered[index] ?? 0) ^ 0x01;
        const copy = [...parts];
        copy[2 + which] = altered.toString("base64url");
        const result = decryptSecret(ring(keyA), copy.join(":"), ad);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe("rejected");
      }
    });
  });

  it("fails when any character of the text is changed", () => {
    const text = encryptSecret(ring(keyA, keyB), "a secret token", ad);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:";
    for (let index = 0; index < text.length; index += 1) {
      for (const replacement of [alphabet[(alphabet.indexOf(text.charAt(index)) + 1) % alphabet.length] ?? "A", "0"]) {
        if (replacement === text.charAt(index)) continue;
        const altered = `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
        expect(decryptSecret(ring(keyA, keyB), altered, ad).ok, `${index}: ${altered}`).toBe(false);
      }
    }
  });

  it("fails for other associated data, so a value cannot be moved to another record", () => {
    const text = encryptSecret(ring(keyA), "token", ad);
    for (const other of ["app:tenant-1:app-2:token", "app:tenant-2:app-1:token", "app:tenant-1:app-1:webhook", ""]) {
      const result = decryptSecret(ring(keyA), text, other);
      expect(result).toMatchObject({ ok: false, error: { code: "rejected" } });
      if (!result.ok) expect(result.error.message).toContain("belongs to another record");
    }
  });

  it("names both keys when the value was encrypted under a key that is not configured", () => {
    const text = encryptSecret(ring(keyA), "token", ad);
    const result = decryptSecret(ring(keyB), text, ad);
    expect(result).toMatchObject({ ok: false, error: { code: "unknownKey" } });
    if (!result.ok) {
      expect(result.error.message).toContain(`encrypted under key ${keyA.id}, but the configured key is ${keyB.id}`);
      expect(result.error.message).toContain("MUSTER_SECRET_KEY_PREVIOUS");
    }
  });

  it("fails when the key id in the header is swapped, even to a configured key", () => {
    const text = encryptSecret(ring(keyA), "token", ad);
    const swapped = text.replace(`v1:${keyA.id}:`, `v1:${keyB.id}:`);
    expect(decryptSecret(ring(keyA, keyB), swapped, ad)).toMatchObject({ ok: false, error: { code: "rejected" } });
  });

  it("explains malformed values and unknown formats without echoing them", () => {
    const cases: [string, string][] = [
      ["plain-token", "not a value encrypted by Muster"],
      ["v2:abcd1234:x:y:z", "format v2, which this version of Muster cannot read"],
      [`v1:${keyA.id}:a:b`, "4 parts"],
      ["v1:XYZ:a:b:c", "key id"],
      [`v1:${keyA.id}:a*:b:c`, "not base64url"],
      [`v1:${keyA.id}:AAAA:AAAA:`, "wrong length"],
      [`v1:${keyA.id}:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAB:`, "not base64url"],
    ];
    for (const [text, phrase] of cases) {
      const result = decryptSecret(ring(keyA), text, ad);
      expect(result).toMatchObject({ ok: false, error: { code: "malformed" } });
      if (!result.ok) expect(result.error.message).toContain(phrase);
    }
  });
});

describe("a keyring", () => {
  it("shows no key material when logged or serialised", () => {
    const material = Buffer.alloc(32, 0xab);
    const keyring = ring(secretKeyOf(material), keyB);
    const shown = `${JSON.stringify(keyring)} ${inspect(keyring, { depth: 10 })}`;
    expect(shown).not.toContain("ab".repeat(8));
    expect(shown).not.toContain(material.toString("base64").slice(0, 12));
    const derived = keyring.current.encryptionKey.export();
    expect(shown).not.toContain(derived.toString("hex").slice(0, 16));
    expect(shown).not.toContain(derived.toString("base64").slice(0, 12));
    expect(shown).not.toContain(`${derived[0]},${derived[1]},${derived[2]}`);
    expect(shown).toContain(keyring.current.id);
  });
});

describe("key rotation", () => {
  it("decrypts with a previous key, encrypts with the current one, and says which values need re-encrypting", () => {
    const old = encryptSecret(ring(keyA), "token", ad);
    const rotated = ring(keyB, keyA);
    expect(decryptSecret(rotated, old, ad)).toEqual({ ok: true, value: "token" });
    expect(needsReencryption(rotated, old)).toBe(true);
    const fresh = reencryptSecret(rotated, old, ad);
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(fresh.value.startsWith(`v1:${keyB.id}:`)).toBe(true);
    expect(needsReencryption(rotated, fresh.value)).toBe(false);
    expect(reencryptSecret(rotated, fresh.value, ad)).toEqual({ ok: true, value: fresh.value });
    // After the rotation the old key can go.
    expect(decryptSecret(ring(keyB), fresh.value, ad)).toEqual({ ok: true, value: "token" });
    expect(needsReencryption(rotated, "garbage")).toBe(true);
  });

  it("fails re-encryption with the decryption error when no configured key opens the value", () => {
    const old = encryptSecret(ring(keyA), "token", ad);
    expect(reencryptSecret(ring(keyB), old, ad)).toMatchObject({ ok: false, error: { code: "unknownKey" } });
  });
});
