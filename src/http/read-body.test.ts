import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { discardLimitBytes, readBody } from "./read-body.js";

const streamOf = (...chunks: Buffer[]) => Readable.from(chunks, { objectMode: false });

describe("readBody", () => {
  it("reads a body of the declared length and decodes characters split across chunks", async () => {
    const bytes = Buffer.from('{"name":"Zoë Ångström"}');
    const split = bytes.indexOf(0xc3) + 1;
    const read = await readBody(streamOf(bytes.subarray(0, split), bytes.subarray(split)), bytes.length, 1024);
    expect(read).toEqual({ ok: true, text: '{"name":"Zoë Ångström"}' });
  });

  it("reads a chunked body without a declared length", async () => {
    expect(await readBody(streamOf(Buffer.from("[1,"), Buffer.from("2]")), undefined, 1024)).toEqual({ ok: true, text: "[1,2]" });
  });

  it("reports a body longer or shorter than its Content-Length", async () => {
    expect(await readBody(streamOf(Buffer.from("12345")), 3, 1024)).toEqual({ ok: false, reason: "lengthMismatch" });
    expect(await readBody(streamOf(Buffer.from("12")), 3, 1024)).toEqual({ ok: false, reason: "lengthMismatch" });
  });

  it("drains a body over the limit to its end and reports it too large", async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1000, 0x61));
    expect(await readBody(streamOf(...chunks), 10_000, 4000)).toEqual({ ok: false, reason: "tooLarge", received: 10_000 });
    expect(await readBody(streamOf(...chunks), undefined, 4000)).toEqual({ ok: false, reason: "tooLarge", received: 10_000 });
  });

  it("stops draining at the discard bound", async () => {
    const payload = new PassThrough();
    const chunk = Buffer.alloc(1024 * 1024);
    const read = readBody(payload, undefined, 1024);
    for (let written = 0; written <= discardLimitBytes; written += chunk.length) payload.write(chunk);
    // The stream never ends: the answer comes from the bound.
    expect(await read).toEqual({ ok: false, reason: "tooLarge", received: discardLimitBytes });
  });
});
