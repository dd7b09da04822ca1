import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import { buildStoreChild } from "../testing/build-child.js";
import { createTenants, openTempSqliteStore, type TempSqliteStore } from "../testing/temp-store.js";
import { openSqliteStore } from "./open-sqlite-store.js";

let script: string;
let temp: TempSqliteStore;
beforeAll(async () => {
  script = await buildStoreChild();
  temp = await openTempSqliteStore();
  await createTenants(temp.store, "t1");
});
afterAll(async () => {
  rmSync(script, { force: true });
  await temp.dispose();
});

/** Starts the child and calls `onLine` for each line it prints. */
function startChild(args: readonly string[], onLine: (line: string, child: ChildProcess) => void): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [script, `sqlite:${temp.file}`, "t1", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let buffer = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      onLine(line, child);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe("durability", () => {
  it("keeps every user whose write resolved, although the process was killed with SIGKILL right after", async () => {
    const written: string[] = [];
    for (let round = 0; round < 5; round++) {
      let id: string | undefined;
      const { exited, stderr } = startChild(["insert", `killed-${round}`], (line, child) => {
        if (line.startsWith("ok ")) {
          // Kill before anything else can happen: no close, no checkpoint, no graceful exit.
          child.kill("SIGKILL");
          id = line.slice(3);
        }
      });
      await exited;
      expect(id, stderr()).toBeDefined();
      written.push(id!);
    }
    const reopened = await openSqliteStore(temp.file);
    try {
      for (const [round, id] of written.entries()) {
        const record = await reopened.read((s) => s.resources.get("User", "t1", id));
        expect(record?.attributes).toEqual({ userName: `killed-${round}` });
      }
    } finally {
      await reopened.close();
    }
  });
});

describe("concurrent processes", () => {
  it("gives exactly one success when several processes create the same userName at once", async () => {
    const children = 6;
    const outcomes: string[] = [];
    let ready = 0;
    const started = Array.from({ length: children }, (_, i) =>
      startChild(["insert-once", i % 2 ? "Race@X.example" : "race@x.EXAMPLE"], (line, child) => {
        if (line === "ready") {
          ready++;
          if (ready === children) for (const other of started) other.child.stdin!.write("go\n");
        } else {
          outcomes.push(line.split(" ")[0] === "ok" ? "ok" : line);
          child.stdin!.end();
        }
      }),
    );
    const codes = await Promise.all(started.map((s) => s.exited));
    expect(codes, started.map((s) => s.stderr()).join("\n")).toEqual(Array(children).fill(0));
    expect(outcomes.sort()).toEqual(["error uniqueness", "error uniqueness", "error uniqueness", "error uniqueness", "error uniqueness", "ok"]);
    const filter = unwrap(resolveFilter(unwrap(parseFilter('userName eq "RACE@x.example"')), registry.forType("User")));
    const page = await temp.store.read((s) => s.resources.list("User", "t1", { filter, page: { kind: "index", startIndex: 1, count: 10 } }));
    expect(page.totalResults).toBe(1);
  });
});
