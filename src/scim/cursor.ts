import { createHmac, timingSafeEqual } from "node:crypto";
import { scimError } from "./errors.js";
import { fail, ok, type Result } from "./result.js";

/** Where a page ended: the sort value and id of its last row (RFC 9865 keyset position). */
export interface CursorPayload {
  readonly sortValue: string | number | boolean | null;
  readonly id: string;
}

/**
 * Opaque, tamper-evident RFC 9865 cursors: base64url(JSON) + "." + base64url(HMAC). The MAC covers
 * the position and a fingerprint of the query (filter, sort), so a cursor cannot be edited or reused
 * with a different query. Only RFC 3986 unreserved characters appear in the text (CUR-01).
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error("cursor key must be at least 32 bytes");
    this.key = key;
  }

  /** Encodes a position for the query with this fingerprint. */
  encode(position: CursorPayload, fingerprint: string): string {
    const body = Buffer.from(JSON.stringify({ v: position.sortValue, i: position.id, q: fingerprint })).toString("base64url");
    return `${body}.${this.mac(body)}`;
  }

  /** Decodes a cursor issued for the same query; anything else is invalidCursor. */
  decode(cursor: string, fingerprint: string): Result<CursorPayload> {
    const invalid = fail(scimError("invalidCursor", "The cursor is not one this server issued for this query; start again without a cursor."));
    const dot = cursor.indexOf(".");
    if (dot <= 0 || cursor.length > 4096) return invalid;
    const body = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.mac(body), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return invalid;
    }
    if (typeof decoded !== "object" || decoded === null) return invalid;
    const { v, i, q } = decoded as { v?: unknown; i?: unknown; q?: unknown };
    if (q !== fingerprint || typeof i !== "string") return invalid;
    if (v !== null && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return invalid;
    return ok({ sortValue: v, id: i });
  }

  private mac(body: string): string {
    return createHmac("sha256", this.key).update(body).digest().subarray(0, 18).toString("base64url");
  }
}
