import { randomBytes } from "node:crypto";
import { replayEntraCycle } from "./entra-cycle.js";
import type { ExpectedDirectory } from "./expected-directory.js";
import { replayOktaCycle } from "./okta-cycle.js";
import { entraProfile, oktaProfile } from "./profiles.js";
import { ReplaySession } from "./replay-session.js";

/** What a replay is pointed at and how big it is. */
export interface ReplayOptions {
  /** The tenant's SCIM base URL, as pasted into the identity provider. */
  readonly baseUrl: string;
  readonly token: string;
  readonly users: number;
  readonly groups: number;
  /** Marks every userName and group name this run creates, so runs never collide. */
  readonly runId: string;
  readonly progress: (line: string) => void;
}

/** The outcome of a replay whose final state matched. */
export interface ReplayReport {
  readonly idp: string;
  readonly requests: number;
  readonly users: number;
  readonly inactive: number;
  readonly groups: number;
  readonly memberships: number;
  readonly directory: ExpectedDirectory;
}

/** The identity providers a replay can imitate. */
export const replays = { entra: replayEntraCycle, okta: replayOktaCycle } as const;

/** A short random run id (lower-case letters and digits). */
export function newRunId(): string {
  return randomBytes(4).toString("hex");
}

/**
 * Deletes what a replay left behind (its users and groups), as the admin's clean-up after a check of
 * a real deployment. Returns how many resources it removed.
 */
export async function cleanUpReplay(kind: keyof typeof replays, options: ReplayOptions, directory: ExpectedDirectory): Promise<number> {
  const session = new ReplaySession(kind === "entra" ? entraProfile : oktaProfile, options.baseUrl, options.token);
  let removed = 0;
  for (const group of directory.groups.values()) {
    await session.call("clean up a group", "DELETE", `/Groups/${group.id}`, undefined, [204, 404]);
    removed += 1;
  }
  for (const user of directory.users.values()) {
    await session.call("clean up a user", "DELETE", `/Users/${user.id}`, undefined, [204, 404]);
    removed += 1;
  }
  return removed;
}
