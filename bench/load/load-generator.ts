import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { LoadAnswers, LoadCommand, LoadMessage, LoadReply } from "./load-protocol.js";

/** The load-generator process, seen from the bench: send a command, await its figures. */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on("message", (reply: LoadReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`load generator: ${reply.error}`));
    });
    child.on("exit", (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the load generator exited (${code})`));
      this.pending.clear();
    });
  }

  /** Forks dist/bench/load/load-worker.js of the repository at `root`. */
  static start(root: string): LoadGenerator {
    return new LoadGenerator(fork(join(root, "dist/bench/load/load-worker.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  run<K extends LoadCommand["kind"]>(command: Extract<LoadCommand, { kind: K }>): Promise<LoadAnswers[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command } satisfies LoadMessage);
    });
  }

  close(): void {
    this.child.disconnect();
  }
}
