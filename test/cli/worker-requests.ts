import { request as httpRequest } from "node:http";
import type { ServeProcess } from "./muster-process.js";

/* Requests to `muster serve --workers N` that reach every worker, and which worker served them. */

/** A response: status and body text. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request on a connection of its own (the primary hands each new connection to the next worker). */
export function send(method: string, url: string, token?: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer & { readonly headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload !== undefined) headers["content-type"] ??= "application/scim+json";
    const outgoing = httpRequest(url, { method, agent: false, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text, headers: response.headers }));
    });
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

/** A minimal SCIM User body. */
export const scimUser = (userName: string) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true });

/** The process ids that logged a completed request (pino's JSON lines on stdout). */
export function requestPids(serve: ServeProcess): Set<number> {
  const pids = new Set<number>();
  for (const line of serve.stdout().split("\n")) {
    if (!line.includes('"request completed"')) continue;
    pids.add((JSON.parse(line) as { pid: number }).pid);
  }
  return pids;
}

/** Polls `probe` until it returns a value (not undefined or false). */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMillis = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

