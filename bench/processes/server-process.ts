import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { request } from "node:http";
import { performance } from "node:perf_hooks";

/** One GET; resolves with the status, or undefined when the connection failed. */
export function probe(url: string, headers: Record<string, string> = {}): Promise<number | undefined> {
  return new Promise((resolve) => {
    const outgoing = request(url, { method: "GET", headers, agent: false, timeout: 2000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode));
      response.on("error", () => resolve(undefined));
    });
    outgoing.on("error", () => resolve(undefined));
    outgoing.on("timeout", () => outgoing.destroy());
    outgoing.end();
  });
}

/** A server started as its own process. */
export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly origin: string;
  /** Milliseconds from spawning the process to its first answered probe request. */
  readonly startupMs: number;
  /** Output the process wrote to stderr (for error messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node args…` and polls `probePath` every few milliseconds until it answers `readyStatus`.
 * Fails with the process's stderr when it exits first or does not answer within `timeoutMs`.
 */
export async function startServerProcess(options: { name: string; nodeArgs: readonly string[]; port: number; probePath: string; probeHeaders?: Record<string, string>; readyStatus?: number; timeoutMs?: number; cwd?: string; stdoutFile?: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const origin = `http://127.0.0.1:${options.port}`;
  const started = performance.now();
  // A service's log goes to a file or the journal, not to a pipe its supervisor must drain line by line.
  const logFd = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, "a");
  const child = spawn(process.execPath, [...options.nodeArgs], { cwd: options.cwd, stdio: ["ignore", logFd ?? "pipe", "pipe"], env: { ...process.env, NODE_ENV: "production", ...options.env } });
  if (logFd !== undefined) closeSync(logFd);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-20_000);
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-20_000);
  });
  let exited = child.exitCode !== null;
  let stopping = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = true;
      // A server that dies mid-run would otherwise show up only as a run of connection errors.
      if (!stopping) process.stderr.write(`${options.name} (pid ${child.pid}) exited unexpectedly (${signal ?? `exit code ${code}`}); its last output:\n${stderr.slice(-4000)}\n`);
      resolve();
    }),
  );
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} exited before answering:\n${stderr}`);
    const status = await probe(`${origin}${options.probePath}`, options.probeHeaders);
    if (status === (options.readyStatus ?? 200)) break;
    if (status !== undefined) throw new Error(`${options.name} answered ${status} to ${options.probePath}:\n${stderr}`);
    if (performance.now() > deadline) {
      stopping = true;
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not answer within ${options.timeoutMs ?? 60_000} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const startupMs = performance.now() - started;
  return {
    name: options.name,
    child,
    pid: child.pid!,
    origin,
    startupMs,
    output: () => stderr,
    async stop(graceMs = 15_000) {
      if (exited) return;
      stopping = true;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
