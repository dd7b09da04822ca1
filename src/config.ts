import { availableParallelism } from "node:os";
import { z } from "zod";
import { parseSecretKey, secretKeyFormat } from "./secrets/secret-key.js";

/** Validated, frozen configuration (read once at start). */
export interface Config {
  /** `sqlite:<path>` (default `sqlite:./data/muster.db`) or `sqlite::memory:`. */
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  /** Public base URL (no trailing slash) used in meta.location and printed URLs; derived from host/port when unset. */
  readonly publicUrl: string | undefined;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** SCIM requests per minute per token; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /** Days of SCIM request activity kept for the console's Activity page. */
  readonly activityRetentionDays: number;
  /** Days the admin audit log keeps events. */
  readonly auditRetentionDays: number;
  /** Days the change feed keeps a change (MUSTER_CHANGE_RETENTION_DAYS, default 30); a consumer further behind must start again. */
  readonly changeRetentionDays: number;
  /** Hours an admin session lasts without use (it also ends 7 days after sign-in). */
  readonly sessionIdleHours: number;
  /**
   * Which proxies in front of Muster to believe about the client's address and protocol
   * (X-Forwarded-For, X-Forwarded-Proto): false (none), true (any), a hop count, or addresses/CIDRs.
   */
  readonly trustProxy: boolean | number | string[];
  /** Apply pending database migrations on start (default); false makes start refuse a database that lacks migrations. */
  readonly autoMigrate: boolean;
  /** Port of a second listener that serves only GET /metrics; undefined (the default) starts none. */
  readonly metricsPort: number | undefined;
  /** Interface of the metrics listener (default the loopback interface). */
  readonly metricsHost: string;
  /** When set, GET /metrics is served on the main port too, and every /metrics requires `Authorization: Bearer <token>`. Never logged or echoed. */
  readonly metricsToken: string | undefined;
  /** How many tenants get their own label in the SCIM metrics; requests to later ones count under "(other)". */
  readonly metricsTenantLabels: number;
  /** Worker processes `muster serve` runs (node:cluster); 1 runs the server in the one process, without a cluster. */
  readonly workers: number;
  /** Key (32 bytes, base64 or hex) encrypting secrets Muster sends on, such as target tokens; when unset, the key file is used. Never logged or echoed. */
  readonly secretKey: string | undefined;
  /** File holding the secret key, created with mode 0600 on first start when MUSTER_SECRET_KEY is unset. */
  readonly secretKeyFile: string;
  /** Earlier keys that still decrypt (never encrypt) during a key rotation. Never logged or echoed. */
  readonly previousSecretKeys: readonly string[];
  /** Whether `serve` runs the outbound provisioning engine (MUSTER_OUTBOUND, default on). */
  readonly outbound: boolean;
  /** Let outbound apps reach loopback, private and link-local addresses, and plain http there (default false). */
  readonly appsAllowPrivate: boolean;
}

/** Command-line flags; each overrides its environment variable. */
export interface ConfigFlags {
  readonly db?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: string | undefined;
  readonly publicUrl?: string | undefined;
  readonly logLevel?: string | undefined;
  readonly rateLimit?: string | undefined;
  readonly activityRetentionDays?: string | undefined;
  readonly auditRetentionDays?: string | undefined;
  readonly changeRetentionDays?: string | undefined;
  readonly sessionIdleHours?: string | undefined;
  readonly trustProxy?: string | undefined;
  /** "true" or "false" (`--migrate` / `--no-migrate`). */
  readonly migrate?: string | undefined;
  readonly metricsPort?: string | undefined;
  readonly metricsHost?: string | undefined;
  readonly metricsToken?: string | undefined;
  readonly metricsTenantLabels?: string | undefined;
  readonly workers?: string | undefined;
}

/**
 * The default number of workers: one per core, at most 8. Beyond that SQLite's one writer and its fsyncs
 * bound writes anyway, each worker costs its own memory, and on PostgreSQL 8 workers with the default pool
 * of 10 stay below the server's default max_connections of 100.
 */
export const defaultWorkerCap = 8;

/** The most workers accepted when set explicitly. */
const maxWorkers = 64;

/** The shortest metrics token accepted: a guessable one would open the metrics to anyone who reaches the port. */
const minMetricsTokenLength = 32;

/** A retention period: whole days, from one day to ten years. */
const retentionDays = z.coerce.number({ message: "must be a number" }).int("must be a whole number of days").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days");

/** A yes/no setting given as words. */
const switchSetting = (yes: string, no: string) =>
  z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => value === yes || value === no, { message: `must be ${yes} or ${no}` })
    .transform((value) => value === yes);

/** A key for src/secrets: the format is checked here so a bad one stops the start with the setting's name. */
const secretKey = z.string().refine((text) => parseSecretKey(text).ok, { message: `must be ${secretKeyFormat}` });

const schema = z
  .object({
  databaseUrl: z
    .string()
    .min(1)
    .refine((url) => url.startsWith("sqlite:") || /^postgres(ql)?:\/\//.test(url), {
      message: "must look like sqlite:./data/muster.db or sqlite::memory:",
    }),
  host: z.string().min(1),
  port: z.coerce.number({ message: "must be a number" }).int("must be an integer").min(0, "must be 0-65535").max(65535, "must be 0-65535"),
  publicUrl: z
    .url({ protocol: /^https?$/, message: "must be an absolute http(s) URL such as https://scim.example.com" })
    .refine((url) => !/[?#]/.test(url), { message: "must not contain a query or fragment" })
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  rateLimitPerMinute: z.coerce.number({ message: "must be a number" }).int("must be a whole number of requests per minute").min(0, "must be 0 (off) or more"),
  activityRetentionDays: retentionDays,
  auditRetentionDays: retentionDays,
  changeRetentionDays: retentionDays,
  sessionIdleHours: z.coerce.number({ message: "must be a number" }).int("must be a whole number of hours").min(1, "must be at least 1 hour").max(168, "must be at most 168 hours (7 days)"),
  trustProxy: z.string().transform((value, context) => {
    const text = value.trim().toLowerCase();
    if (text === "false" || text === "") return false;
    if (text === "true") return true;
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
    if (entries.every((entry) => /^[0-9a-f.:]+(\/\d{1,3})?$/.test(entry))) return entries;
    context.addIssue({ code: "custom", message: "must be false, true, a number of proxy hops, or comma-separated addresses/CIDRs such as 10.0.0.0/8" });
    return z.NEVER;
  }),
  autoMigrate: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => value === "true" || value === "false", { message: "must be true or false" })
    .transform((value) => value === "true"),
  metricsPort: z.coerce.number({ message: "must be a number" }).int("must be an integer").min(0, "must be 0-65535").max(65535, "must be 0-65535").optional(),
  metricsHost: z.string().min(1),
  metricsToken: z
    .string()
    .min(minMetricsTokenLength, `must be at least ${minMetricsTokenLength} characters (for example: openssl rand -hex 32)`)
    .regex(/^\S+$/, "must not contain spaces")
    .optional(),
  metricsTenantLabels: z.coerce.number({ message: "must be a number" }).int("must be a whole number of tenants").min(0, "must be 0 or more").max(10_000, "must be at most 10000"),
  workers: z.coerce.number({ message: "must be a number" }).int("must be a whole number of processes").min(1, "must be at least 1").max(maxWorkers, `must be at most ${maxWorkers}`),
  secretKey: secretKey.optional(),
  secretKeyFile: z.string().min(1),
  previousSecretKeys: z
    .string()
    .transform((text) => text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== ""))
    .refine((keys) => keys.every((key) => parseSecretKey(key).ok), { message: `must be comma-separated keys, each ${secretKeyFormat}` }),
  outbound: switchSetting("on", "off"),
  appsAllowPrivate: switchSetting("true", "false"),
})
  .superRefine((config, context) => {
    if (config.metricsPort !== undefined && config.metricsPort !== 0 && config.metricsPort === config.port) {
      context.addIssue({ code: "custom", path: ["metricsPort"], message: "must differ from MUSTER_PORT (the metrics listener is a second listener)" });
    }
  });

const sources: Record<keyof z.input<typeof schema>, { env: string; flag?: keyof ConfigFlags; fallback?: string; secret?: true }> = {
  databaseUrl: { env: "MUSTER_DATABASE_URL", flag: "db", fallback: "sqlite:./data/muster.db" },
  host: { env: "MUSTER_HOST", flag: "host", fallback: "127.0.0.1" },
  port: { env: "MUSTER_PORT", flag: "port", fallback: "8080" },
  publicUrl: { env: "MUSTER_PUBLIC_URL", flag: "publicUrl" },
  logLevel: { env: "MUSTER_LOG_LEVEL", flag: "logLevel", fallback: "info" },
  rateLimitPerMinute: { env: "MUSTER_RATE_LIMIT", flag: "rateLimit", fallback: "6000" },
  activityRetentionDays: { env: "MUSTER_ACTIVITY_RETENTION_DAYS", flag: "activityRetentionDays", fallback: "30" },
  auditRetentionDays: { env: "MUSTER_AUDIT_RETENTION_DAYS", flag: "auditRetentionDays", fallback: "365" },
  changeRetentionDays: { env: "MUSTER_CHANGE_RETENTION_DAYS", flag: "changeRetentionDays", fallback: "30" },
  sessionIdleHours: { env: "MUSTER_SESSION_IDLE_HOURS", flag: "sessionIdleHours", fallback: "12" },
  trustProxy: { env: "MUSTER_TRUST_PROXY", flag: "trustProxy", fallback: "false" },
  autoMigrate: { env: "MUSTER_AUTO_MIGRATE", flag: "migrate", fallback: "true" },
  metricsPort: { env: "MUSTER_METRICS_PORT", flag: "metricsPort" },
  metricsHost: { env: "MUSTER_METRICS_HOST", flag: "metricsHost", fallback: "127.0.0.1" },
  metricsToken: { env: "MUSTER_METRICS_TOKEN", flag: "metricsToken", secret: true },
  metricsTenantLabels: { env: "MUSTER_METRICS_TENANT_LABELS", flag: "metricsTenantLabels", fallback: "50" },
  workers: { env: "MUSTER_WORKERS", flag: "workers", fallback: String(Math.min(availableParallelism(), defaultWorkerCap)) },
  // No flags for keys: flags show in ps.
  secretKey: { env: "MUSTER_SECRET_KEY", secret: true },
  secretKeyFile: { env: "MUSTER_SECRET_KEY_FILE", fallback: "./data/secret.key" },
  previousSecretKeys: { env: "MUSTER_SECRET_KEY_PREVIOUS", fallback: "", secret: true },
  outbound: { env: "MUSTER_OUTBOUND", fallback: "on" },
  appsAllowPrivate: { env: "MUSTER_APPS_ALLOW_PRIVATE", fallback: "false" },
};

/** Thrown when configuration is invalid; the message lists every problem with the setting's name. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads flags over environment over defaults, validates once, and returns a frozen Config. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string | undefined> = {};
  for (const [key, source] of Object.entries(sources)) {
    const value = (source.flag ? flags[source.flag] : undefined) ?? nonEmpty(env[source.env]) ?? source.fallback;
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof typeof sources;
      const source = sources[key];
      // A secret is never echoed, not even a wrong one: it may be a real secret set in the wrong place.
      const got = source.secret ? `got ${raw[key]?.length ?? 0} characters` : `got ${JSON.stringify(withoutPassword(raw[key]))}`;
      return `  ${source.env}${source.flag ? ` (--${kebab(source.flag)})` : ""} ${issue.message}; ${got}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return Object.freeze({ ...parsed.data, publicUrl: parsed.data.publicUrl, metricsPort: parsed.data.metricsPort, metricsToken: parsed.data.metricsToken, secretKey: parsed.data.secretKey });
}

/** A value as an error may show it: the password of a URL's user information (`//user:password@`) masked. */
function withoutPassword(value: string | undefined): string | undefined {
  return value?.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
