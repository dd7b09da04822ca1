import { adminError } from "../../admin/admin-error.js";

/** Longest target token accepted: bearer tokens are a few hundred characters; JWTs a few thousand at most. */
const maxTokenLength = 8192;

/** Tokens shorter than this show none of their characters in the hint: four of eight would give half of it away. */
const minHintedLength = 12;

/**
 * A target's Secret Token as typed or piped in: surrounding whitespace (a trailing newline from a file)
 * is dropped; it must then be 1–8192 characters without spaces or control characters, since it travels
 * as `Authorization: Bearer <token>`. Invalid → AdminError `invalid` on `token`, which never repeats it.
 */
export function checkAppToken(token: unknown): string {
  if (typeof token !== "string") throw adminError("invalid", "The Secret Token (token) is required and must be text.", { field: "token" });
  const trimmed = token.trim();
  if (trimmed === "") throw adminError("invalid", "The Secret Token (token) must not be empty.", { field: "token" });
  if (trimmed.length > maxTokenLength) throw adminError("invalid", `The Secret Token (token) must be at most ${maxTokenLength} characters.`, { field: "token" });
  if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) throw adminError("invalid", "The Secret Token (token) must not contain spaces or control characters: it is sent as an HTTP bearer token.", { field: "token" });
  return trimmed;
}

/** The part of a token kept in clear to recognise it: its last 4 characters, or nothing for a short token. */
export function tokenHintOf(token: string): string {
  return token.length >= minHintedLength ? token.slice(-4) : "";
}

/** A token hint as shown: `••••Xy3k`. */
export function maskedTokenHint(hint: string): string {
  return `••••${hint}`;
}
