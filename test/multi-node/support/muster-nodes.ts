import type { ChildProcess } from "node:child_process";
import { afterEach } from "vitest";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../../../src/store/testing/test-database.js";
import { runMusterAsync, startServe, type ServeProcess } from "../../cli/muster-process.js";

/** A response as the multi-node tests see it. */
export interface NodeResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body, or undefined for an empty body. */
  readonly body: any;
}

/** One `muster serve` process. */
export interface MusterNode {
  /** "A", "B", "C": for messages. */
  readonly name: string;
  readonly url: string;
  readonly process: ServeProcess;
  /** Sends a SCIM request to a path under a tenant's base URL on this node. */
  scim(tenant: string, token: string, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<NodeResponse>;
  /** Freezes the process (SIGSTOP): it keeps its connections and buffers but runs nothing, timers included. */
  pause(): void;
  /** Lets a paused process run again (SIGCONT). */
  resume(): void;
  /** Stops this node alone (SIGTERM, which writes what it buffered) and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** A signed-in console admin, talking to the admin API of one node. */
export interface NodeAdmin {
  /** Sends a request to a path under /api on the node it signed in through. */
  request(method: string, path: string, body?: unknown): Promise<NodeResponse>;
}

/** Several nodes on one database. */
export interface MusterNodes {
  readonly nodes: readonly MusterNode[];
  readonly databaseUrl: string;
  /** Runs a muster command against the nodes' database and returns its stdout; throws when it exits non-zero. */
  cli(args: readonly string[], input?: string): Promise<string>;
  /** Creates a tenant and a token for it with the CLI. */
  tenant(slug: string): Promise<{ slug: string; token: string; tokenId: string }>;
  /** Signs in through `node`'s admin API (the admin must exist, e.g. made by `muster admins create`). */
  signIn(node: MusterNode, email: string, password: string): Promise<NodeAdmin>;
  /** Stops every node (SIGTERM, SIGKILL after 10 s); throws when one exited with an error. Later calls do nothing. */
  stop(): Promise<void>;
}

const stopTimeoutMs = 10_000;
const requestTimeoutMs = 30_000;

/** Children still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

async function send(url: string, method: string, headers: Record<string, string>, body: unknown): Promise<NodeResponse> {
  const json = body === undefined ? undefined : JSON.stringify(body);
  const response = await fetch(url, { method, headers, ...(json === undefined ? {} : { body: json }), signal: AbortSignal.timeout(requestTimeoutMs) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

function nodeOf(name: string, process: ServeProcess): MusterNode {
  return {
    name,
    url: process.url,
    process,
    scim(tenant, token, method, path, options = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { "content-type": "application/scim+json" }), ...options.headers };
      return send(`${process.url}/scim/v2/${tenant}${path}`, method, headers, options.body);
    },
    pause: () => void process.child.kill("SIGSTOP"),
    resume: () => void process.child.kill("SIGCONT"),
    stop: () => stopProcess(process),
  };
}

async function stopProcess(serve: ServeProcess): Promise<number | null> {
  // A node a test paused (SIGSTOP) would hold SIGTERM until it runs again.
  serve.child.kill("SIGCONT");
  serve.child.kill("SIGTERM");
  const timer = setTimeout(() => serve.child.kill("SIGKILL"), stopTimeoutMs);
  try {
    return await serve.exited;
  } finally {
    clearTimeout(timer);
    running.delete(serve.child);
  }
}

async function startTracked(args: readonly string[]): Promise<ServeProcess> {
  // One process per node: tests freeze a node with SIGSTOP and stop it by its pid, and compare nodes, not
  // the worker processes of one (test/cli/workers*.test.ts cover those).
  const serve = await startServe([...args, "--workers", "1"]);
  running.add(serve.child);
  void serve.exited.then(() => running.delete(serve.child));
  return serve;
}

/**
 * Starts `count` `muster serve` processes on the database at `databaseUrl`, all at once, with SCIM rate
 * limiting off so a test can send many requests through one token. When one fails to start, the others
 * are stopped and the error is thrown.
 */
export async function startNodes(databaseUrl: string, count: number): Promise<MusterNodes> {
  const names = ["A", "B", "C", "D"].slice(0, count);
  const started = await Promise.allSettled(names.map(() => startTracked(["--db", databaseUrl, "--no-migrate", "--rate-limit", "0", "--log-level", "warn"])));
  const nodes = started.flatMap((outcome, i) => (outcome.status === "fulfilled" ? [nodeOf(names[i]!, outcome.value)] : []));
  const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw failed.reason;
  }
  const cli = async (args: readonly string[], input?: string) => {
    const result = await runMusterAsync([...args, "--db", databaseUrl], input);
    if (result.status !== 0) throw new Error(`muster ${args.join(" ")} exited with ${result.status}:\n${result.stderr}`);
    return result.stdout;
  };
  let stopped: Promise<void> | undefined;
  return {
    nodes,
    databaseUrl,
    cli,
    async tenant(slug) {
      await cli(["tenants", "create", slug]);
      const issued = JSON.parse(await cli(["tokens", "create", "--tenant", slug, "--client", `${slug} client`, "--json"])) as { id: string; token: string };
      return { slug, token: issued.token, tokenId: issued.id };
    },
    async signIn(node, email, password) {
      const json = { "content-type": "application/json" };
      const response = await send(`${node.url}/api/session`, "POST", json, { email, password });
      if (response.status !== 200) throw new Error(`sign-in through node ${node.name} answered ${response.status}: ${JSON.stringify(response.body)}`);
      const cookie = response.headers.getSetCookie().find((line) => line.startsWith("muster_session="))?.split(";")[0];
      if (cookie === undefined) throw new Error("sign-in answered without a session cookie");
      const csrf: string = response.body.csrfToken;
      return {
        request(method, path, body) {
          const headers: Record<string, string> = { cookie, ...(body === undefined ? {} : json), ...(method === "GET" ? {} : { "x-csrf-token": csrf }) };
          return send(`${node.url}/api${path}`, method, headers, body);
        },
      };
    },
    stop() {
      stopped ??= (async () => {
        const codes = await Promise.all(nodes.map((node) => node.stop()));
        const failures = nodes.flatMap((node, i) => (codes[i] === 0 ? [] : [`node ${node.name} exited with ${codes[i]}:\n${node.process.stderr()}`]));
        if (failures.length > 0) throw new Error(failures.join("\n"));
      })();
      return stopped;
    },
  };
}

/**
 * For a test file: returns `start(count)`, which migrates nothing but copies the run's migrated template
 * into a fresh PostgreSQL database and starts `count` nodes on it. After each test (passed, failed or
 * timed out) the nodes are stopped and the database dropped; a node that exited with an error fails the test.
 */
export function nodesPerTest(): (count: number) => Promise<MusterNodes> {
  const databases: string[] = [];
  const clusters: MusterNodes[] = [];
  afterEach(async () => {
    const stops = await Promise.allSettled(clusters.splice(0).map((cluster) => cluster.stop()));
    for (const url of databases.splice(0)) await dropTestPostgresDatabase(url);
    const failed = stops.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    if (failed) throw failed.reason;
  });
  return async (count) => {
    const url = await createTestPostgresDatabase({ migrated: true });
    databases.push(url);
    const cluster = await startNodes(url, count);
    clusters.push(cluster);
    return cluster;
  };
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
