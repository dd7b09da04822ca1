import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openLogDestination } from "./log-destination.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function logFile(): { file: string; fd: number } {
  dir = mkdtempSync(join(tmpdir(), "muster-log-"));
  const file = join(dir, "server.log");
  return { file, fd: openSync(file, "a") };
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter((line) => line !== "");

describe("openLogDestination", () => {
  it("holds lines back until the buffer fills or the flush interval passes, then writes them in order", async () => {
    const { file, fd } = logFile();
    const destination = openLogDestination({ fd, bufferBytes: 4096, flushMillis: 100 });
    const logger = pino({ base: null }, destination.stream);
    for (let index = 0; index < 3; index++) logger.info({ index }, "request completed");
    expect(lines(file)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lines(file).map((line) => (JSON.parse(line) as { index: number }).index)).toEqual([0, 1, 2]);
    destination.close();
  });

  it("writes everything buffered when asked to flush synchronously (shutdown, exit)", () => {
    const { file, fd } = logFile();
    const destination = openLogDestination({ fd, bufferBytes: 8000, flushMillis: 60_000 });
    const logger = pino({ base: null }, destination.stream);
    for (let index = 0; index < 500; index++) logger.info({ index }, "request completed");
    destination.flushSync();
    expect(lines(file)).toHaveLength(500);
    expect((JSON.parse(lines(file)[499]!) as { index: number }).index).toBe(499);
    destination.close();
  });
});
