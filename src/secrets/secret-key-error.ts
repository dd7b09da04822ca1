/** Thrown when the secret key cannot be loaded or created; the message says what to do. Stops the start. */
export class SecretKeyError extends Error {
  override readonly name = "SecretKeyError";
}
