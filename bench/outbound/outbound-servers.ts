import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { App } from "../../shared/admin-api.js";
import { prepareWorkCopy, type Dataset } from "../dataset/dataset-cache.js";
import { startMuster } from "../processes/bench-servers.js";
import type { ServerProcess } from "../processes/server-process.js";
import { AdminClient } from "./admin-client.js";

/** The tenant of the target server the engine pushes into, and the one the plain load generator fills. */
export const targetTenant = "target";
export const generatorTenant = "generator";

/** Both servers of an outbound push, the admin signed in to the source, and the app (provisioning still off). */
export interface OutboundServers {
  readonly source: ServerProcess;
  readonly target: ServerProcess;
  readonly admin: AdminClient;
  readonly app: App;
  readonly sourceTenant: string;
  /** The token of the source tenant (the bench's own SCIM client, for the lag's changes). */
  readonly sourceToken: string;
  /** The tokens of the target's two tenants (the app's, and the plain load generator's). */
  readonly targetToken: string;
  readonly generatorToken: string;
  /** The target's request log (one JSON line per request). */
  readonly targetLog: string;
  stop(): Promise<void>;
}

/** Runs a muster command to completion (without blocking the event loop); its stdout, or an error with its stderr. */
async function muster(root: string, args: readonly string[], input?: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [join(root, "bin/muster.js"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const status = await new Promise<number | null>((done) => child.once("close", done));
  if (status !== 0) throw new Error(`muster ${args.slice(0, 2).join(" ")} exited with ${status}: ${stderr.slice(-2000)}`);
  return stdout;
}

/**
 * Sets up a push as an operator would, with the shipped commands: a work copy of the cached source
 * tenant; an empty target database with tenants `target` (for the engine) and `generator` (for the
 * plain load generator) and a SCIM token for each (`muster tenants create`, `muster tokens create`); an
 * admin on the source (`muster admins create --password-stdin`); then both `muster serve` processes,
 * the source with MUSTER_APPS_ALLOW_PRIVATE=true (the target is on 127.0.0.1) and a secret key of its
 * own for this run; signs in to the source's admin API and creates the app there (scope all, default
 * settings, Test Connection first), provisioning off.
 */
export async function startOutboundServers(options: { root: string; dataset: Dataset; runDir: string; sourceWorkers: number; targetWorkers: number; cpuProfileDir?: string }): Promise<OutboundServers> {
  const { root, dataset, runDir } = options;
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(join(runDir, "target"), { recursive: true });
  const sourceFile = prepareWorkCopy(dataset, join(runDir, "source"));
  const targetFile = join(runDir, "target", "muster.db");
  const targetDb = `sqlite:${resolve(targetFile)}`;
  const sourceDb = `sqlite:${resolve(sourceFile)}`;
  const tokens: Record<string, string> = {};
  for (const tenant of [targetTenant, generatorTenant]) {
    await muster(root, ["tenants", "create", tenant, "--db", targetDb]);
    tokens[tenant] = (JSON.parse(await muster(root, ["tokens", "create", "--tenant", tenant, "--client", `bench ${tenant}`, "--json", "--db", targetDb])) as { token: string }).token;
  }
  const email = "bench-admin@bench.example";
  const password = randomBytes(18).toString("base64url");
  await muster(root, ["admins", "create", email, "--password-stdin", "--db", sourceDb], `${password}\n`);
  const env = { MUSTER_APPS_ALLOW_PRIVATE: "true", MUSTER_SECRET_KEY: randomBytes(32).toString("hex") };
  const targetLog = join(runDir, "target.log");
  const started: ServerProcess[] = [];
  const stop = async () => {
    // The source first, so nothing is sent to a target that is going away.
    for (const server of [...started].reverse()) await server.stop();
  };
  try {
    const target = await startMuster({ root, database: { kind: "sqlite", file: targetFile }, tenantSlug: targetTenant, token: tokens[targetTenant]! }, targetLog, options.targetWorkers);
    started.push(target);
    const { tenantSlug, token } = dataset.manifest;
    const source = await startMuster({ root, database: { kind: "sqlite", file: sourceFile }, tenantSlug, token }, join(runDir, "source.log"), options.sourceWorkers, options.cpuProfileDir, env);
    started.push(source);
    const admin = await AdminClient.signIn(source.origin, email, password);
    const app = await admin.request<App>("POST", `/tenants/${tenantSlug}/apps`, { name: "Loopback Muster", baseUrl: `${target.origin}/scim/v2/${targetTenant}`, token: tokens[targetTenant], scope: { kind: "all" }, testConnection: true }, [201]);
    return { source, target, admin, app, sourceTenant: tenantSlug, sourceToken: token, targetToken: tokens[targetTenant]!, generatorToken: tokens[generatorTenant]!, targetLog, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
