import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { IpcChannel, type IpcEndpoint } from "./ipc-channel.js";

/** Two ends of an in-memory pipe that, like process.send, deliver a copy of each message later. */
function pipe(): [IpcEndpoint, IpcEndpoint] {
  const a = new EventEmitter();
  const b = new EventEmitter();
  const end = (mine: EventEmitter, theirs: EventEmitter): IpcEndpoint => ({
    send: (message) => setImmediate(() => theirs.emit("message", structuredClone(message))),
    listen: (listener) => {
      mine.on("message", listener);
      return () => mine.off("message", listener);
    },
  });
  return [end(a, b), end(b, a)];
}

describe("IpcChannel", () => {
  it("answers requests both ways, with the handler's result or its error", async () => {
    const [left, right] = pipe();
    const primary = new IpcChannel(left);
    const worker = new IpcChannel(right);
    primary.handle("double", (n: number) => n * 2);
    primary.handle("fail", async () => {
      throw new Error("no such thing");
    });
    worker.handle("hello", () => "hi");
    expect(await Promise.all([worker.request("double", 21), worker.request("double", 2)])).toEqual([42, 4]);
    await expect(worker.request("fail")).rejects.toThrow("no such thing");
    await expect(worker.request("unknown")).rejects.toThrow('nothing handles "unknown"');
    expect(await primary.request("hello")).toBe("hi");
  });

  it("fails a request without a reply after its timeout, and every waiting request when closed", async () => {
    const [left, right] = pipe();
    new IpcChannel(left).handle("slow", () => new Promise(() => undefined));
    const worker = new IpcChannel(right);
    await expect(worker.request("slow", null, 20)).rejects.toThrow('no reply to "slow" within 20 ms');
    const waiting = worker.request("slow");
    worker.close("the primary has gone");
    await expect(waiting).rejects.toThrow("the primary has gone");
  });

  it("ignores messages that are not its own", async () => {
    const [left, right] = pipe();
    const worker = new IpcChannel(right);
    left.send({ type: "prom-client:getMetricsReq" } as never);
    new IpcChannel(left).handle("ping", () => "pong");
    expect(await worker.request("ping")).toBe("pong");
  });
});
