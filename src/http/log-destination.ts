import pino from "pino";

/** How the server's log reaches its file descriptor (standard output by default). */
export interface LogDestinationOptions {
  readonly fd?: number;
  /** Lines are written once this many bytes are buffered… */
  readonly bufferBytes?: number;
  /** …or after this many milliseconds, whichever comes first. */
  readonly flushMillis?: number;
  /** Beyond this many buffered bytes (a reader that stopped reading) new lines are dropped, so memory stays bounded. */
  readonly maxBufferBytes?: number;
}

/** The log's stream for pino, and the way to write out what is buffered before the process ends. */
export interface LogDestination {
  readonly stream: pino.DestinationStream;
  /** Writes every buffered line now, synchronously. */
  flushSync(): void;
  /** Writes what is buffered, stops the periodic flush and closes the file descriptor. */
  close(): void;
}

/**
 * A buffered, asynchronous log destination: at `info` the server writes a line per request, and one
 * write(2) per line cost about 10% of a lookup's CPU time (measured, docs/performance.md); buffered,
 * lines go out in blocks of `bufferBytes`, or `flushMillis` after they were logged. Lines buffered when
 * the process exits (a signal, a crash) are written synchronously on exit; only a SIGKILL or a power
 * cut can lose the last `flushMillis` of lines.
 */
export function openLogDestination(options: LogDestinationOptions = {}): LogDestination {
  const destination = pino.destination({
    dest: options.fd ?? 1,
    sync: false,
    minLength: options.bufferBytes ?? 8_192,
    periodicFlush: options.flushMillis ?? 250,
    maxLength: options.maxBufferBytes ?? 16 * 1024 * 1024,
  });
  const flushSync = () => {
    try {
      destination.flushSync();
    } catch {
      // Not open yet, or already closed: nothing buffered can be written anymore.
    }
  };
  process.once("exit", flushSync);
  return {
    stream: destination,
    flushSync,
    close: () => {
      process.removeListener("exit", flushSync);
      flushSync();
      destination.end();
    },
  };
}
