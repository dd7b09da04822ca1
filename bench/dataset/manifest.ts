import { readFileSync, writeFileSync } from "node:fs";
import type { UserFacts } from "./generate-user.js";
import type { TenantPlan } from "./tenant-plan.js";

/** A generated user the bench sends requests about. */
export interface SampleUser extends UserFacts {
  readonly id: string;
}

/** A generated group the bench sends requests about. */
export interface SampleGroup {
  readonly index: number;
  readonly id: string;
  readonly displayName: string;
  readonly size: number;
}

/**
 * What the bench knows about a generated database without reading it: the plan, the SCIM token, and
 * random samples of users and groups (request targets). Stored next to the cached database.
 */
export interface TenantManifest {
  readonly cacheKey: string;
  readonly generatorVersion: number;
  /** The latest migration applied when the database was generated. */
  readonly schemaVersion: string;
  readonly plan: TenantPlan;
  readonly tenantSlug: string;
  readonly token: string;
  readonly generatedAt: string;
  /** Set when the cache was migrated from one generated under an older schema (its key and schema, and how long migrating took). */
  readonly migratedFrom?: { readonly cacheKey: string; readonly schemaVersion: string; readonly seconds: number };
  readonly generationSeconds: number;
  readonly databaseBytes: number;
  /** Uniformly drawn users (at most 20,000), in drawing order. */
  readonly users: readonly SampleUser[];
  /** Uniformly drawn groups other than the big and the small one (at most 2,000). */
  readonly groups: readonly SampleGroup[];
  readonly bigGroup: SampleGroup;
  readonly smallGroup: SampleGroup & { readonly memberIds: readonly string[] };
}

/** Reads a manifest written by writeManifest. */
export function readManifest(file: string): TenantManifest {
  return JSON.parse(readFileSync(file, "utf8")) as TenantManifest;
}

/** Writes a manifest as JSON. */
export function writeManifest(file: string, manifest: TenantManifest): void {
  writeFileSync(file, `${JSON.stringify(manifest)}\n`);
}
