import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { protocolLimits } from "../../src/scim/limits.js";
import { groupBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

interface RawExchange {
  /** Whether every byte of the request was written before the answer was read. */
  readonly wroteAll: boolean;
  readonly status: number;
  readonly body: any;
}

/**
 * Sends a request the way Python's requests or .NET's HttpClient do: the whole body is written, and only
 * then is the answer read. A server that answers and closes before reading the body breaks the write.
 */
function sendWholeBodyThenRead(path: string, body: Buffer, headers: Record<string, string>): Promise<RawExchange> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let wroteAll = false;
    let reading = false;
    const head = [`POST ${new URL(acme.baseUrl).pathname}${path} HTTP/1.1`, `Host: ${hostname}:${port}`, `Authorization: Bearer ${acme.token}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
    socket.on("error", reject);
    socket.on("connect", () => {
      socket.pause();
      socket.write(head);
      socket.write(body, (error) => {
        if (error) return reject(error);
        wroteAll = true;
        reading = true;
        socket.resume();
      });
    });
    socket.on("data", (chunk) => {
      if (reading) chunks.push(chunk);
    });
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      const payload = text.slice(text.indexOf("\r\n\r\n") + 4);
      resolve({ wroteAll, status, body: payload === "" ? undefined : JSON.parse(payload) });
    });
  });
}

describe("bodies larger than the limit", () => {
  const oversized = Buffer.from(JSON.stringify(userBody("big@example.org", { displayName: "x".repeat(protocolLimits.maxBodyBytes + 1000) })));

  it("answers 413 to a client that writes the whole body before reading (Content-Length)", async () => {
    const exchange = await sendWholeBodyThenRead("/Users", oversized, { "Content-Type": "application/scim+json", "Content-Length": String(oversized.length), Connection: "close" });
    expect(exchange.wroteAll).toBe(true);
    expect(exchange.status).toBe(413);
    expect(exchange.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" });
    expect(exchange.body.detail).toContain(String(protocolLimits.maxBodyBytes));
  });

  it("answers 413 to a chunked body that grows past the limit", async () => {
    const twice = Buffer.concat([oversized, oversized]);
    const chunked = Buffer.concat([Buffer.from(`${twice.length.toString(16)}\r\n`), twice, Buffer.from("\r\n0\r\n\r\n")]);
    const exchange = await sendWholeBodyThenRead("/Users", chunked, { "Content-Type": "application/scim+json", "Transfer-Encoding": "chunked", Connection: "close" });
    expect(exchange.wroteAll).toBe(true);
    expect(exchange.status).toBe(413);
  });

  it("answers 415 to an unsupported media type only after reading the body", async () => {
    const exchange = await sendWholeBodyThenRead("/Users", oversized, { "Content-Type": "text/xml", "Content-Length": String(oversized.length), Connection: "close" });
    expect(exchange.wroteAll).toBe(true);
    expect(exchange.status).toBe(415);
  });

  it("writes nothing for a refused body", async () => {
    const found = await acme.request("GET", `/Users?filter=${encodeURIComponent('userName eq "big@example.org"')}`);
    expect(found.body.totalResults).toBe(0);
  });
});

describe("group bodies carry whole memberships", () => {
  it("accepts a Group PUT above the general limit and applies every member", async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const operations = Array.from({ length: 1000 }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `u${batch}-${i}`, data: userBody(`member${batch}-${i}@example.org`) }));
      const bulk = await acme.request("POST", "/Bulk", { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: operations } });
      expect(bulk.status).toBe(200);
      ids.push(...bulk.body.Operations.map((operation: { location: string }) => operation.location.split("/").pop()!));
    }
    const group = await acme.request("POST", "/Groups", { body: groupBody("Everyone") });
    // Long display names (which the server ignores) make 5,000 members weigh what 100,000 do in Okta's PUTs.
    const members = ids.map((value, i) => ({ value, display: `member ${i} `.padEnd(1000, "·") }));
    const body = groupBody("Everyone", { id: group.body.id, members });
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(protocolLimits.maxBodyBytes);
    const put = await acme.request("PUT", `/Groups/${group.body.id}?excludedAttributes=members`, { body });
    expect(put.status).toBe(200);
    const read = await acme.request("GET", `/Groups/${group.body.id}`);
    expect(read.body.members).toHaveLength(5000);
    expect(new Set(read.body.members.map((member: { value: string }) => member.value))).toEqual(new Set(ids));
  });

  it("keeps the general limit for User writes and the group limit for Group writes", async () => {
    const user = await acme.request("POST", "/Users", { body: userBody("limit@example.org", { displayName: "y".repeat(protocolLimits.maxBodyBytes) }) });
    expect(user.status).toBe(413);
    const group = await acme.request("POST", "/Groups", { body: groupBody("Too big", { members: [{ value: "x", display: "z".repeat(protocolLimits.maxGroupBodyBytes) }] }) });
    expect(group.status).toBe(413);
    expect(group.body.detail).toContain(String(protocolLimits.maxGroupBodyBytes));
  });
});
