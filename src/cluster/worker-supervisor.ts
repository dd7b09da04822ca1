import cluster, { type Worker } from "node:cluster";
import { IpcChannel, workerEndpoint } from "./ipc-channel.js";

/** How the primary runs its workers. */
export interface WorkerSupervisorOptions {
  readonly workers: number;
  /** Prints a line for the operator (stderr). */
  readonly say: (line: string) => void;
  /** Installs the primary's request handlers on a new worker's channel (before the worker can ask anything). */
  readonly connect: (channel: IpcChannel) => void;
  /** Crashes within `crashWindowMillis` that make the primary give up (default 5 within a minute). */
  readonly crashLimit?: number;
  readonly crashWindowMillis?: number;
  /** The first restart's delay; each further crash in the window doubles it, up to 10 s (default 250 ms). */
  readonly restartDelayMillis?: number;
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  channel: IpcChannel | undefined;
}

/** Why the workers stopped for good: an operator's signal, a worker that never started, or a crash loop. */
export type SupervisorEnd = { readonly reason: "stopped"; readonly clean: boolean } | { readonly reason: "failed"; readonly message: string };

const maxRestartDelayMillis = 10_000;

/**
 * The primary of `muster serve --workers N` (node:cluster): forks the workers, which share the listening
 * port, waits until each reports its address, replaces a worker that dies (after a delay that doubles
 * with every crash of the last minute) and gives up, stopping the others, when they crash in a loop.
 * `stop()` sends SIGTERM to every worker, which drains its requests and closes the database, and resolves
 * once all have exited.
 */
export class WorkerSupervisor {
  private readonly options: WorkerSupervisorOptions;
  private readonly slots: Slot[];
  private readonly crashes: number[] = [];
  private stopping = false;
  private readonly ended: Promise<SupervisorEnd>;
  private end!: (end: SupervisorEnd) => void;
  private address: string | undefined;
  private unclean = false;
  private failure: string | undefined;

  constructor(options: WorkerSupervisorOptions) {
    this.options = options;
    this.slots = Array.from({ length: options.workers }, (_, index) => ({ index: index + 1, worker: undefined, channel: undefined }));
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  /** The channels of the workers running now (for requests to all of them). */
  channels(): IpcChannel[] {
    return this.slots.flatMap((slot) => (slot.channel && slot.worker?.isConnected() ? [slot.channel] : []));
  }

  /** How many workers are running now. */
  running(): number {
    return this.slots.filter((slot) => slot.worker !== undefined).length;
  }

  /** Forks every worker; resolves with the listening address once all of them listen, or rejects if one exits first. */
  async start(): Promise<string> {
    const listening = this.slots.map((slot) => this.fork(slot));
    const failure = this.ended.then((end) => {
      throw new Error(end.reason === "failed" ? end.message : "stopped while starting");
    });
    const addresses = await Promise.race([Promise.all(listening), failure]);
    this.address = addresses[0]!;
    return this.address;
  }

  /** Resolves when the workers have stopped for good. */
  done(): Promise<SupervisorEnd> {
    return this.ended;
  }

  /** Sends `signal` to every worker (they drain and exit) and resolves once all have exited. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<SupervisorEnd> {
    if (!this.stopping) {
      this.stopping = true;
      for (const slot of this.slots) slot.worker?.process.kill(signal);
      this.settleIfAllExited();
    }
    return this.ended;
  }

  private fork(slot: Slot): Promise<string> {
    const worker = cluster.fork({ MUSTER_WORKER_INDEX: String(slot.index) });
    const channel = new IpcChannel(workerEndpoint(worker));
    slot.worker = worker;
    slot.channel = channel;
    const listening = new Promise<string>((resolve) => channel.handle("listening", ({ address }: { address: string }) => resolve(address)));
    this.options.connect(channel);
    const startedAt = Date.now();
    let listened = false;
    void listening.then(() => (listened = true));
    worker.once("exit", (code, signal) => {
      channel.close();
      slot.worker = undefined;
      slot.channel = undefined;
      if (this.stopping) {
        if (code !== 0) this.unclean = true;
        this.settleIfAllExited();
        return;
      }
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!listened && this.address === undefined) {
        this.giveUp(`Worker ${slot.index} (process ${worker.process.pid}) exited with ${how} before it was listening; stopping.`);
        return;
      }
      this.replace(slot, `Worker ${slot.index} (process ${worker.process.pid}) exited with ${how} after ${Math.round((Date.now() - startedAt) / 1000)} s`);
    });
    return listening;
  }

  private replace(slot: Slot, what: string): void {
    const now = Date.now();
    const window = this.options.crashWindowMillis ?? 60_000;
    this.crashes.push(now);
    while (this.crashes.length > 0 && this.crashes[0]! <= now - window) this.crashes.shift();
    const limit = this.options.crashLimit ?? 5;
    if (this.crashes.length >= limit) {
      this.giveUp(`${what}. Workers crashed ${this.crashes.length} times within ${Math.round(window / 1000)} s: giving up and stopping the server (see the errors above).`);
      return;
    }
    const delay = Math.min(maxRestartDelayMillis, (this.options.restartDelayMillis ?? 250) * 2 ** (this.crashes.length - 1));
    this.options.say(`${what}; starting a new one in ${delay} ms.`);
    setTimeout(() => {
      if (this.stopping) return;
      this.fork(slot).then(
        () => this.options.say(`Worker ${slot.index} is running again (process ${slot.worker?.process.pid}).`),
        () => undefined,
      );
    }, delay);
  }

  private giveUp(message: string): void {
    if (this.stopping) return;
    this.options.say(message);
    this.stopping = true;
    for (const slot of this.slots) slot.worker?.process.kill("SIGTERM");
    this.failure = message;
    this.settleIfAllExited();
  }

  private settleIfAllExited(): void {
    if (this.slots.some((slot) => slot.worker !== undefined)) return;
    this.end(this.failure !== undefined ? { reason: "failed", message: this.failure } : { reason: "stopped", clean: !this.unclean });
  }
}
