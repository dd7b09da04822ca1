import type { CreateUsersFigures, CreateUsersJob } from "./create-users.js";
import type { ReplayFigures, ReplayJob } from "./entra-replay.js";
import type { LoadFigures, LoadJob } from "./run-load.js";
import type { PagingFigures, PagingJob } from "./walk-pages.js";

/** What the bench asks of its load-generator process. */
export type LoadCommand =
  | { readonly kind: "load"; readonly job: LoadJob; readonly manifestFile: string }
  | { readonly kind: "paging"; readonly job: PagingJob }
  | { readonly kind: "replay"; readonly job: ReplayJob }
  | { readonly kind: "create-users"; readonly job: CreateUsersJob };

/** The figures each command answers with. */
export interface LoadAnswers {
  load: LoadFigures;
  paging: PagingFigures;
  replay: ReplayFigures;
  "create-users": CreateUsersFigures;
}

/** A message to the load generator. */
export interface LoadMessage {
  readonly id: number;
  readonly command: LoadCommand;
}

/** The load generator's answer to message `id`. */
export type LoadReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
