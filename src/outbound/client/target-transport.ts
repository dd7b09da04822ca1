import { isIP } from "node:net";
import { Agent } from "undici";
import { guardedLookup, resolveAllowed, type AddressRule, type ResolvedAddress, type Resolver } from "./address-guard.js";
import type { Answer } from "./classify-answer.js";
import { classifyFailure } from "./classify-failure.js";
import { recommendedFix } from "./recommended-fix.js";
import { TargetError } from "./target-error.js";

/** One request as the transport sends it. */
export interface TransportRequest {
  readonly method: string;
  /** Path and query under the base URL (for errors); the transport prefixes the base path. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** The largest answer body read; a larger one is dropped and the exchange fails as `invalidResponse`. */
  readonly maxBytes: number;
  /** The caller's cancellation; an abort rejects with the signal's reason, not a TargetError. */
  readonly signal?: AbortSignal;
}

/** Settings of a TargetTransport. */
export interface TargetTransportOptions {
  readonly allowPrivateAddresses: boolean;
  readonly resolve: Resolver;
  /** Strings redacted from every text that leaves the transport (the bearer token). */
  readonly secrets: readonly string[];
}

/**
 * Sends single HTTP exchanges to one target over undici, connecting only to addresses the address rule
 * admits (checked in the socket's own lookup, so the checked address is the one connected to), never
 * following redirects, with a deadline per exchange and a streaming size limit on the answer.
 */
export class TargetTransport {
  readonly base: URL;
  readonly #agent: Agent;
  readonly #rule: AddressRule;
  readonly #options: TargetTransportOptions;
  #lastAddresses: readonly ResolvedAddress[] = [];

  constructor(base: URL, options: TargetTransportOptions) {
    this.base = base;
    this.#options = options;
    this.#rule = { allowPrivateAddresses: options.allowPrivateAddresses, https: base.protocol === "https:" };
    const lookup = guardedLookup(this.#rule, options.resolve, (_host, addresses) => {
      this.#lastAddresses = addresses;
    });
    this.#agent = new Agent({ connect: { lookup }, keepAliveTimeout: 10_000 });
  }

  /** The addresses the last new connection was made to (for Test Connection's report). */
  get lastAddresses(): readonly ResolvedAddress[] {
    return this.#lastAddresses;
  }

  /** Sends one request and reads its whole answer; failures without an answer throw classified TargetErrors. */
  async send(request: TransportRequest): Promise<Answer> {
    const { method, path, signal } = request;
    const context = { method, path, secrets: this.#options.secrets };
    signal?.throwIfAborted();
    const timer = new AbortController();
    const onCallerAbort = () => timer.abort(signal?.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      timer.abort(new Error("timeout"));
    }, request.timeoutMs);
    try {
      // net.connect skips the lookup for IP literals, so those are checked here.
      if (isIP(this.base.hostname.replace(/^\[|\]$/g, "")) !== 0) this.#lastAddresses = await resolveAllowed(this.base.hostname, this.#rule, this.#options.resolve);
      const response = await this.#agent.request({
        origin: this.base.origin,
        path: `${this.base.pathname}${path}`,
        method: method as "GET",
        headers: request.headers,
        body: request.body ?? null,
        signal: timer.signal,
        // The deadline above bounds the whole exchange; undici's own timers must not fire first.
        headersTimeout: request.timeoutMs + 1000,
        bodyTimeout: request.timeoutMs + 1000,
      });
      const text = await readLimited(response.body, response.headers["content-length"], request.maxBytes, context);
      return { status: response.statusCode, headers: response.headers, text };
    } catch (error) {
      if (error instanceof TargetError) throw error;
      if (signal?.aborted) throw signal.reason;
      throw classifyFailure(error, timedOut ? { ...context, timeoutMs: request.timeoutMs } : context);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** Reads a body as UTF-8 text, giving up (and dropping the connection) as soon as it passes `maxBytes`. */
async function readLimited(
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown; on(event: "error", listener: () => void): unknown },
  declaredLength: string | string[] | undefined,
  maxBytes: number,
  context: { method: string; path: string },
): Promise<string> {
  const tooLarge = () => {
    // Destroying the body aborts the request and closes the connection; the abort it emits is expected.
    body.on("error", () => {});
    body.destroy();
    return new TargetError({
      kind: "invalidResponse",
      method: context.method,
      path: context.path,
      summary: `answered with a body larger than the limit of ${formatBytes(maxBytes)}`,
      code: "tooLarge",
      maybeSent: true,
      fix: recommendedFix({ kind: "invalidResponse", code: "tooLarge" }),
    });
  };
  if (typeof declaredLength === "string" && Number(declaredLength) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
