import type { LogEvent } from "kysely";
import type { StatementKind, StoreObserver } from "../store-observer.js";
import { statementKindOf } from "./statement-kind.js";

/**
 * Hands a store's reports (statements, group commits) to the observers attached with `Store.observe`.
 * Reporting points check `active` first, so a store nobody watches (the CLI) does not even read the clock.
 */
export class StoreTelemetry implements StoreObserver {
  private observers: readonly StoreObserver[] = [];

  /** Whether anyone listens. */
  get active(): boolean {
    return this.observers.length > 0;
  }

  /** Adds an observer; the returned function removes it. */
  observe(observer: StoreObserver): () => void {
    this.observers = [...this.observers, observer];
    return () => {
      this.observers = this.observers.filter((other) => other !== observer);
    };
  }

  statement(kind: StatementKind, seconds: number, failed: boolean): void {
    for (const observer of this.observers) observer.statement(kind, seconds, failed);
  }

  writeQueued(seconds: number): void {
    for (const observer of this.observers) observer.writeQueued(seconds);
  }

  groupCommitted(size: number, commitSeconds: number): void {
    for (const observer of this.observers) observer.groupCommitted(size, commitSeconds);
  }

  /** Reports a statement as Kysely's `log` option sees it (the PostgreSQL store's hook: `log: (event) => telemetry.logged(event)`). */
  logged(event: LogEvent): void {
    if (this.observers.length === 0) return;
    this.statement(statementKindOf(event.query.sql), event.queryDurationMillis / 1000, event.level === "error");
  }
}
