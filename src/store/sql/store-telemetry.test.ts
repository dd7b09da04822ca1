import { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import type { StatementKind, StoreObserver } from "../store-observer.js";
import { StoreTelemetry } from "./store-telemetry.js";

/** An observer that writes down what it is told. */
function recorder() {
  const statements: [StatementKind, number, boolean][] = [];
  const observer: StoreObserver = {
    statement: (kind, seconds, failed) => void statements.push([kind, seconds, failed]),
    writeQueued: () => undefined,
    groupCommitted: () => undefined,
  };
  return { statements, observer };
}

describe("StoreTelemetry", () => {
  it("is inactive until an observer is attached, and again after it is detached", () => {
    const telemetry = new StoreTelemetry();
    expect(telemetry.active).toBe(false);
    const detach = telemetry.observe(recorder().observer);
    expect(telemetry.active).toBe(true);
    detach();
    expect(telemetry.active).toBe(false);
  });

  it("tells every attached observer, and only those", () => {
    const telemetry = new StoreTelemetry();
    const first = recorder();
    const second = recorder();
    const detachFirst = telemetry.observe(first.observer);
    telemetry.observe(second.observer);
    telemetry.statement("select", 0.002, false);
    detachFirst();
    telemetry.statement("insert", 0.003, true);
    expect(first.statements).toEqual([["select", 0.002, false]]);
    expect(second.statements).toEqual([
      ["select", 0.002, false],
      ["insert", 0.003, true],
    ]);
  });

  it("turns Kysely's log events into statement reports in seconds", () => {
    const telemetry = new StoreTelemetry();
    const { statements, observer } = recorder();
    telemetry.observe(observer);
    telemetry.logged({ level: "query", query: CompiledQuery.raw("select 1"), queryDurationMillis: 4 });
    telemetry.logged({ level: "error", error: new Error("unique"), query: CompiledQuery.raw("insert into t values (1)"), queryDurationMillis: 1.5 });
    expect(statements).toEqual([
      ["select", 0.004, false],
      ["insert", 0.0015, true],
    ]);
  });
});
