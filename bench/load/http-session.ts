import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

/** One answered request. */
export interface SessionResponse {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/**
 * A keep-alive HTTP client for sequential and few-stream work (paging, the Entra replay): one agent,
 * the bench's headers on every request, the response time measured from send to last byte.
 */
export class HttpSession {
  private readonly origin: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: Agent;
  private readonly contentType: string;

  constructor(origin: string, token: string, maxSockets: number, contentType = "application/scim+json") {
    this.origin = new URL(origin);
    this.headers = { authorization: `Bearer ${token}` };
    this.agent = new Agent({ keepAlive: true, maxSockets });
    this.contentType = contentType;
  }

  send(method: string, path: string, body?: unknown): Promise<SessionResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? this.headers : { ...this.headers, "content-type": this.contentType, "content-length": String(Buffer.byteLength(payload)) };
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: this.origin.hostname, port: this.origin.port, method, path, headers, agent: this.agent, timeout: 120_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
        response.on("error", reject);
      });
      outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${path} timed out`)));
      outgoing.on("error", reject);
      if (payload !== undefined) outgoing.write(payload);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
