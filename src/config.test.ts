import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultWorkerCap, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("uses the documented defaults", () => {
    expect(loadConfig({}, {})).toEqual({
      databaseUrl: "sqlite:./data/muster.db",
      host: "127.0.0.1",
      port: 8080,
      publicUrl: undefined,
      logLevel: "info",
      rateLimitPerMinute: 6000,
      activityRetentionDays: 30,
      changeRetentionDays: 30,
      auditRetentionDays: 365,
      sessionIdleHours: 12,
      trustProxy: false,
      autoMigrate: true,
      metricsPort: undefined,
      metricsHost: "127.0.0.1",
      metricsToken: undefined,
      metricsTenantLabels: 50,
      workers: Math.min(availableParallelism(), defaultWorkerCap),
      secretKey: undefined,
      secretKeyFile: "./data/secret.key",
      previousSecretKeys: [],
      outbound: true,
      appsAllowPrivate: false,
    });
  });

  it("runs the outbound engine unless MUSTER_OUTBOUND=off, and lets apps reach private addresses only with MUSTER_APPS_ALLOW_PRIVATE=true", () => {
    expect(loadConfig({}, { MUSTER_OUTBOUND: "OFF", MUSTER_APPS_ALLOW_PRIVATE: "true" })).toMatchObject({ outbound: false, appsAllowPrivate: true });
    expect(() => loadConfig({}, { MUSTER_OUTBOUND: "no" })).toThrow("MUSTER_OUTBOUND must be on or off");
    expect(() => loadConfig({}, { MUSTER_APPS_ALLOW_PRIVATE: "yes" })).toThrow("MUSTER_APPS_ALLOW_PRIVATE must be true or false");
  });

  it("reads the secret key settings and refuses a malformed key without echoing it", () => {
    const hex = "ab".repeat(32);
    const base64 = Buffer.alloc(32, 7).toString("base64");
    const config = loadConfig({}, { MUSTER_SECRET_KEY: hex, MUSTER_SECRET_KEY_FILE: "/etc/muster/key", MUSTER_SECRET_KEY_PREVIOUS: ` ${base64} ,, ${hex}` });
    expect(config).toMatchObject({ secretKey: hex, secretKeyFile: "/etc/muster/key", previousSecretKeys: [base64, hex] });
    const secret = "correct-horse-battery-staple";
    let message = "";
    try {
      loadConfig({}, { MUSTER_SECRET_KEY: secret, MUSTER_SECRET_KEY_PREVIOUS: `${hex},${secret}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("MUSTER_SECRET_KEY must be 32 random bytes written as 64 hex digits or 44 base64 characters");
    expect(message).toContain(`got ${secret.length} characters`);
    expect(message).toContain("MUSTER_SECRET_KEY_PREVIOUS must be comma-separated keys");
    expect(message).not.toContain(secret);
    expect(message).not.toContain(hex);
  });

  it("runs one worker per core by default, at most 8; an explicit count from 1 to 64", () => {
    expect(loadConfig({}, { MUSTER_WORKERS: "3" }).workers).toBe(3);
    expect(loadConfig({ workers: "1" }, { MUSTER_WORKERS: "3" }).workers).toBe(1);
    expect(loadConfig({ workers: "16" }, {}).workers).toBe(16);
    expect(() => loadConfig({ workers: "0" }, {})).toThrow("MUSTER_WORKERS (--workers) must be at least 1");
    expect(() => loadConfig({ workers: "65" }, {})).toThrow(/MUSTER_WORKERS \(--workers\) must be at most 64/);
    expect(() => loadConfig({ workers: "two" }, {})).toThrow(/MUSTER_WORKERS/);
  });

  it("starts no metrics listener and serves no /metrics unless configured; the listener binds to the loopback interface", () => {
    const config = loadConfig({ metricsPort: "9464" }, { MUSTER_METRICS_TOKEN: "x".repeat(32), MUSTER_METRICS_TENANT_LABELS: "0" });
    expect(config).toMatchObject({ metricsPort: 9464, metricsHost: "127.0.0.1", metricsToken: "x".repeat(32), metricsTenantLabels: 0 });
    expect(loadConfig({ metricsHost: "0.0.0.0" }, {}).metricsHost).toBe("0.0.0.0");
    expect(() => loadConfig({ port: "9000", metricsPort: "9000" }, {})).toThrow("MUSTER_METRICS_PORT (--metrics-port) must differ from MUSTER_PORT");
    expect(() => loadConfig({}, { MUSTER_METRICS_TENANT_LABELS: "-1" })).toThrow(/MUSTER_METRICS_TENANT_LABELS/);
  });

  it("refuses a short metrics token without echoing it", () => {
    const secret = "short-but-real-secret";
    let message = "";
    try {
      loadConfig({}, { MUSTER_METRICS_TOKEN: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("MUSTER_METRICS_TOKEN (--metrics-token) must be at least 32 characters");
    expect(message).toContain(`got ${secret.length} characters`);
    expect(message).not.toContain(secret);
    expect(() => loadConfig({ metricsToken: `${"y".repeat(20)} ${"z".repeat(20)}` }, {})).toThrow("must not contain spaces");
  });

  it("refuses a database URL it does not know without echoing its password", () => {
    const load = () => loadConfig({}, { MUSTER_DATABASE_URL: "mysql://muster:s3cr3t-pa55@db.internal:3306/muster" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/MUSTER_DATABASE_URL .*got "mysql:\/\/muster:\*\*\*@db\.internal:3306\/muster"/);
    expect(load).not.toThrow(/s3cr3t/);
  });

  it("reads environment variables and lets flags override them", () => {
    const env = { MUSTER_DATABASE_URL: "sqlite:/tmp/a.db", MUSTER_PORT: "9000", MUSTER_PUBLIC_URL: "https://scim.example.com/", MUSTER_RATE_LIMIT: "0" };
    const config = loadConfig({ port: "9100" }, env);
    expect(config).toMatchObject({ databaseUrl: "sqlite:/tmp/a.db", port: 9100, publicUrl: "https://scim.example.com", rateLimitPerMinute: 0 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads MUSTER_TRUST_PROXY as a boolean, a hop count or a list of addresses", () => {
    expect(loadConfig({}, { MUSTER_TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({}, { MUSTER_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({}, { MUSTER_TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(() => loadConfig({}, { MUSTER_TRUST_PROXY: "everyone" })).toThrow(/MUSTER_TRUST_PROXY/);
  });

  it("reads MUSTER_AUTO_MIGRATE as true or false, and --no-migrate overrides it", () => {
    expect(loadConfig({}, { MUSTER_AUTO_MIGRATE: "FALSE" }).autoMigrate).toBe(false);
    expect(loadConfig({ migrate: "false" }, { MUSTER_AUTO_MIGRATE: "true" }).autoMigrate).toBe(false);
    expect(loadConfig({ migrate: "true" }, { MUSTER_AUTO_MIGRATE: "false" }).autoMigrate).toBe(true);
    expect(() => loadConfig({}, { MUSTER_AUTO_MIGRATE: "no" })).toThrow("MUSTER_AUTO_MIGRATE (--migrate) must be true or false");
  });

  it("reads the audit retention in whole days from 1 to 3650, from MUSTER_AUDIT_RETENTION_DAYS or --audit-retention-days", () => {
    expect(loadConfig({}, { MUSTER_AUDIT_RETENTION_DAYS: "730" }).auditRetentionDays).toBe(730);
    expect(loadConfig({ auditRetentionDays: "1" }, { MUSTER_AUDIT_RETENTION_DAYS: "730" }).auditRetentionDays).toBe(1);
    expect(() => loadConfig({}, { MUSTER_AUDIT_RETENTION_DAYS: "0" })).toThrow("MUSTER_AUDIT_RETENTION_DAYS (--audit-retention-days) must be at least 1 day");
    expect(() => loadConfig({}, { MUSTER_AUDIT_RETENTION_DAYS: "3651" })).toThrow("must be at most 3650 days");
    expect(() => loadConfig({}, { MUSTER_AUDIT_RETENTION_DAYS: "1.5" })).toThrow("must be a whole number of days");
  });

  it("treats empty environment variables as unset", () => {
    expect(loadConfig({}, { MUSTER_HOST: "  " }).host).toBe("127.0.0.1");
  });

  it("names every invalid setting with its variable and flag", () => {
    const env = { MUSTER_PORT: "http", MUSTER_PUBLIC_URL: "ftp://x", MUSTER_LOG_LEVEL: "loud", MUSTER_RATE_LIMIT: "-1", MUSTER_DATABASE_URL: "mysql://x" };
    let error: unknown;
    try {
      loadConfig({}, env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ["MUSTER_PORT (--port)", "MUSTER_PUBLIC_URL (--public-url)", "MUSTER_LOG_LEVEL (--log-level)", "MUSTER_RATE_LIMIT (--rate-limit)", "MUSTER_DATABASE_URL (--db)"]) {
      expect(message).toContain(name);
    }
  });
});
