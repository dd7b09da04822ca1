import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { scimError } from "../scim/errors.js";
import type { Store, TenantRecord, TokenRecord } from "../store/store.js";

/** Recognisable prefix of every Muster SCIM token (so secret scanners and humans can spot one). */
export const tokenPrefix = "mst_";
const idLength = 24; // hex characters: 96 random bits naming the token
const secretBytes = 32; // 256 random bits of secret

/** A token as given to the admin exactly once. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Splits `mst_<id>_<secret>` into its parts, or undefined when it is not shaped like a Muster token. */
export function parseToken(text: string): { id: string; secret: string } | undefined {
  if (!text.startsWith(tokenPrefix)) return undefined;
  const id = text.slice(tokenPrefix.length, tokenPrefix.length + idLength);
  const rest = text.slice(tokenPrefix.length + idLength);
  if (!/^[0-9a-f]+$/.test(id) || id.length !== idLength || !rest.startsWith("_")) return undefined;
  const secret = rest.slice(1);
  return /^[A-Za-z0-9_-]{43}$/.test(secret) ? { id, secret } : undefined;
}

/** Hex SHA-256 of a token secret; a fast hash is right for 256-bit random secrets (no guessing to slow down). */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A new token for a tenant's SCIM client, not stored yet: the token (shown once) and the record to store (its secret's hash only). */
export function mintToken(tenant: TenantRecord, clientName: string, now: Date): IssuedToken {
  const name = clientName.trim();
  if (name === "" || name.length > 200) throw scimError("invalidValue", "Client name must be 1-200 characters.");
  const id = randomBytes(idLength / 2).toString("hex");
  const secret = randomBytes(secretBytes).toString("base64url");
  const token = `${tokenPrefix}${id}_${secret}`;
  return { token, record: { id, tenantId: tenant.id, clientName: name, hint: token.slice(-4), secretHash: hashSecret(secret), created: now.toISOString() } };
}

/** Issues a token for a tenant's SCIM client; only its hash is stored. */
export async function createToken(store: Store, tenant: TenantRecord, clientName: string, now: Date = new Date()): Promise<IssuedToken> {
  const issued = mintToken(tenant, clientName, now);
  await store.write((session) => session.tokens.create(issued.record));
  return issued;
}

/** True when a text is shaped like the id part of a token (`mst_<id>_…`), which is not secret. */
export function isTokenId(text: string): boolean {
  return text.length === idLength && /^[0-9a-f]+$/.test(text);
}

/** Revokes a token of a tenant; unknown or already revoked tokens give notFound. */
export async function revokeToken(store: Store, tenant: TenantRecord, tokenId: string, now: Date = new Date()): Promise<void> {
  const revoked = await store.write((session) => session.tokens.revoke(tenant.id, tokenId, now.toISOString()));
  if (!revoked) throw scimError("notFound", `Tenant "${tenant.slug}" has no active token "${tokenId}".`);
}

/** The masked form shown in lists: prefix, dots, last four characters. */
export function maskToken(hint: string): string {
  return `${tokenPrefix}••••••••${hint}`;
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
