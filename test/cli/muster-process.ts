import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The compiled CLI, as `npm ci` builds it. */
export const cliPath = fileURLToPath(new URL("../../bin/muster.js", import.meta.url));

/** Runs a muster command to completion. */
export function runMuster(args: readonly string[], env: Record<string, string> = {}, input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000, ...(input === undefined ? {} : { input }) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A `muster serve` child process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly stdout: () => string;
  /** Resolves with the exit code once the process has ended and its output has been read. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `muster serve --port 0` and waits until it prints where it listens. `detached` starts it in a
 * process group of its own, so that `process.kill(-child.pid)` reaches its workers too.
 */
export async function startServe(args: readonly string[], env: Record<string, string> = {}, options: { readonly detached?: boolean } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, "serve", "--host", "127.0.0.1", "--port", "0", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: options.detached ?? false });
  let stderr = "";
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 20_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+?) \(/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
  return { child, url, exited, stderr: () => stderr, stdout: () => stdout };
}

/**
 * Runs a muster command without blocking the event loop (needed when it talks to a server in this process
 * or a child); `input` is written to its stdin. A command still running after 30 s is killed (status null).
 */
export function runMusterAsync(args: readonly string[], input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"], timeout: 30_000 });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}
