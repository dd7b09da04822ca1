import type { Worker } from "node:cluster";

/** One side of the IPC pipe between the primary and a worker of `muster serve --workers`. */
export interface IpcEndpoint {
  send(message: Envelope): void;
  /** Calls `listener` with every message received; returns the function that stops it. */
  listen(listener: (message: unknown) => void): () => void;
}

type Envelope = { readonly muster: "request"; readonly id: number; readonly kind: string; readonly body: unknown } | { readonly muster: "reply"; readonly id: number; readonly body?: unknown; readonly error?: string };

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** How long a request waits for its reply before it fails. */
const defaultTimeoutMillis = 5_000;

/** The primary's end of the pipe to one worker. */
export function workerEndpoint(worker: Worker): IpcEndpoint {
  return {
    send: (message) => {
      if (worker.isConnected()) worker.send(message);
    },
    listen: (listener) => {
      worker.on("message", listener);
      return () => worker.off("message", listener);
    },
  };
}

/** A worker's end of the pipe to the primary. */
export function primaryEndpoint(): IpcEndpoint {
  return {
    send: (message) => {
      if (process.connected) process.send?.(message);
    },
    listen: (listener) => {
      process.on("message", listener);
      return () => process.off("message", listener);
    },
  };
}

/**
 * Requests and replies over a cluster's IPC pipe, both ways: `request(kind, body)` resolves with what the
 * other side's handler for `kind` returned (or fails with its error, or after a timeout), `handle(kind, fn)`
 * answers the other side's requests. Messages are plain JSON; other messages on the pipe are left alone.
 */
export class IpcChannel {
  private readonly endpoint: IpcEndpoint;
  private readonly handlers = new Map<string, (body: unknown) => unknown>();
  private readonly pending = new Map<number, Pending>();
  private readonly stopListening: () => void;
  private nextId = 1;

  constructor(endpoint: IpcEndpoint) {
    this.endpoint = endpoint;
    this.stopListening = endpoint.listen((message) => this.receive(message));
  }

  /** Answers requests of this kind with `handler`'s result. */
  handle<B, R>(kind: string, handler: (body: B) => R | Promise<R>): void {
    this.handlers.set(kind, handler as (body: unknown) => unknown);
  }

  /** Sends a request and resolves with the reply. */
  request<R>(kind: string, body: unknown = null, timeoutMillis = defaultTimeoutMillis): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, undefined, `no reply to "${kind}" within ${timeoutMillis} ms`), timeoutMillis);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.endpoint.send({ muster: "request", id, kind, body });
    });
  }

  /** Stops listening and fails every request still waiting (the other side has gone). */
  close(reason = "the other process has exited"): void {
    this.stopListening();
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, reason);
  }

  private receive(message: unknown): void {
    if (typeof message !== "object" || message === null || !("muster" in message)) return;
    const envelope = message as Envelope;
    if (envelope.muster === "reply") {
      this.settle(envelope.id, envelope.body, envelope.error);
      return;
    }
    const handler = this.handlers.get(envelope.kind);
    if (!handler) {
      this.endpoint.send({ muster: "reply", id: envelope.id, error: `nothing handles "${envelope.kind}"` });
      return;
    }
    Promise.resolve()
      .then(() => handler(envelope.body))
      .then(
        (body) => this.endpoint.send({ muster: "reply", id: envelope.id, body }),
        (error: unknown) => this.endpoint.send({ muster: "reply", id: envelope.id, error: error instanceof Error ? error.message : String(error) }),
      );
  }

  private settle(id: number, body: unknown, error: string | undefined): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error === undefined) pending.resolve(body);
    else pending.reject(new Error(error));
  }
}
