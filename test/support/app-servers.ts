import { randomBytes } from "node:crypto";
import type { ServerOutbound } from "../../src/http/server.js";
import { secretKeyOf } from "../../src/secrets/secret-key.js";
import type { SecretKeyring } from "../../src/secrets/secret-keyring.js";

/** A keyring with a fresh random key, for a test server's outbound apps. */
export function testKeyring(): SecretKeyring {
  return { current: secretKeyOf(randomBytes(32)), previous: [] };
}

/**
 * Outbound options of a test server: a fresh key, targets on 127.0.0.1 allowed, and the engine off
 * unless asked for (then tuned to notice apps and changes within a fraction of a second).
 */
export function testOutbound(options: { readonly engine?: boolean } = {}): ServerOutbound {
  return { keyring: testKeyring(), allowPrivateAddresses: true, ...(options.engine ? { engine: { scanMs: 100, runner: { pollMs: 50 } } } : {}) };
}
