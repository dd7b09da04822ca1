import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** A response as a provisioning client sees it. */
export interface ClientResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Parsed JSON body; undefined when empty or not JSON. */
  readonly body: any;
}

/**
 * One HTTP(S) request with exactly the headers given (plus Host, Content-Length and Connection, which
 * HTTP requires). Unlike fetch, nothing else is added: identity providers differ in what they omit
 * (Entra ID sends no Accept and no User-Agent, ENT-03), and a faithful replay must omit it too.
 */
export function sendRequest(method: string, url: string, headers: Record<string, string>, body?: string, timeoutMs = 30_000): Promise<ClientResponse> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        method,
        protocol: target.protocol,
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { ...headers, ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }) },
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body: parsed });
        });
        response.on("error", reject);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${target.pathname} timed out after ${timeoutMs} ms`)));
    outgoing.on("error", reject);
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}
