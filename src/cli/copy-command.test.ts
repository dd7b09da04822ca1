import { describe, expect, it } from "vitest";
import { verificationReport } from "./copy-command.js";

describe("verificationReport", () => {
  it("marks every table ok when both sides have the same rows", () => {
    const report = verificationReport([
      { table: "tenants", source: 2, target: 2 },
      { table: "users", source: 1234567, target: 1234567 },
    ]);
    expect(report.differing).toEqual([]);
    expect(report.rows).toEqual([
      { TABLE: "tenants", SOURCE: "2", TARGET: "2", CHECK: "ok" },
      { TABLE: "users", SOURCE: "1,234,567", TARGET: "1,234,567", CHECK: "ok" },
    ]);
  });

  it("names the tables whose counts differ", () => {
    const report = verificationReport([
      { table: "users", source: 10, target: 9 },
      { table: "groups", source: 1, target: 1 },
      { table: "activity", source: 0, target: 3 },
    ]);
    expect(report.differing).toEqual(["users", "activity"]);
    expect(report.rows.map((row) => row["CHECK"])).toEqual(["DIFFERENT", "ok", "DIFFERENT"]);
  });
});
