import type { Readable } from "node:stream";

/** How a request body read ended: the whole body, or more bytes than the route accepts (which were read and dropped). */
export type BodyRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: "tooLarge"; readonly received: number } | { readonly ok: false; readonly reason: "lengthMismatch" };

/**
 * Bytes of an oversized body that are read and dropped before the 413 is sent. Clients that write the whole
 * body before reading the answer (Python's requests and urllib, .NET's HttpClient) see a broken pipe
 * instead of the 413 when the server stops reading; beyond this bound the connection is closed anyway.
 */
export const discardLimitBytes = 64 * 1024 * 1024;

/**
 * Reads a UTF-8 request body of at most `limit` bytes: into one Buffer sized from Content-Length up front
 * when the client gives one (instead of chunks plus their concatenation), released once decoded, so a large
 * body is held about once. A larger body is drained up to `discardLimitBytes` and reported as too large.
 */
export function readBody(payload: Readable, declaredLength: number | undefined, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const sized = declaredLength !== undefined && declaredLength <= limit;
    let buffer: Buffer | undefined = sized ? Buffer.allocUnsafe(declaredLength) : undefined;
    let chunks: Buffer[] | undefined = sized ? undefined : [];
    let received = 0;
    let tooLarge = declaredLength !== undefined && declaredLength > limit;

    const detach = () => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onError);
    };
    const finish = (result: BodyRead) => {
      detach();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      const start = received;
      received += chunk.length;
      if (!tooLarge && received > limit) {
        tooLarge = true;
        buffer = undefined;
        chunks = undefined;
      }
      if (tooLarge) {
        if (received >= discardLimitBytes) finish({ ok: false, reason: "tooLarge", received });
        return;
      }
      if (buffer) {
        if (received > buffer.length) {
          finish({ ok: false, reason: "lengthMismatch" });
          return;
        }
        chunk.copy(buffer, start);
      } else chunks!.push(chunk);
    };
    const onEnd = () => {
      if (tooLarge) return finish({ ok: false, reason: "tooLarge", received });
      if (buffer && received !== buffer.length) return finish({ ok: false, reason: "lengthMismatch" });
      const text = (buffer ?? Buffer.concat(chunks!, received)).toString("utf8");
      buffer = undefined;
      chunks = undefined;
      finish({ ok: true, text });
    };
    const onError = (error: Error) => {
      detach();
      reject(error);
    };
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onError);
    payload.resume();
  });
}
