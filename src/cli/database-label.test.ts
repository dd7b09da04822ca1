import { describe, expect, it } from "vitest";
import { databaseLabel } from "./database-label.js";

describe("databaseLabel", () => {
  it("shows SQLite URLs as given", () => {
    expect(databaseLabel("sqlite:./data/muster.db")).toBe("sqlite:./data/muster.db");
  });

  it("drops the password and query of a PostgreSQL URL, keeping user, host and database", () => {
    expect(databaseLabel("postgres://muster:s3cret@db.internal:5432/muster?sslmode=require&password=x")).toBe("postgres://muster@db.internal:5432/muster");
    expect(databaseLabel("postgresql://db/muster")).toBe("postgresql://db/muster");
  });

  it("never echoes a URL it cannot read", () => {
    expect(databaseLabel("postgres://user:s3cret@[bad")).not.toContain("s3cret");
    expect(databaseLabel("mysql://u:p@h/d")).toBe("a mysql: database");
  });
});
