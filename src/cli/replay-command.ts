import { type Command, InvalidArgumentError } from "commander";
import { ReplayMismatch } from "../replay/replay-session.js";
import { cleanUpReplay, newRunId, replays } from "../replay/replay.js";

/**
 * `muster replay <entra|okta>`: plays an identity provider's provisioning cycle against a SCIM base
 * URL and checks every answer and the final directory the way that provider would. For checking a
 * deployment (proxy, TLS, limits) before connecting the real identity provider.
 */
export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description("play an identity provider's provisioning cycle against a SCIM base URL and check the result")
    .argument("<idp>", "entra or okta", (value: string) => {
      if (value !== "entra" && value !== "okta") throw new InvalidArgumentError('use "entra" or "okta"');
      return value as keyof typeof replays;
    })
    .requiredOption("--url <url>", "the tenant's SCIM base URL, e.g. https://scim.example.com/scim/v2/acme")
    .requiredOption("--token <token>", "a SCIM token of that tenant")
    .option("--users <n>", "how many users to provision (Entra at least 30, Okta at least 12)", positiveInteger, 50)
    .option("--groups <n>", "how many groups to provision (Entra at least 5, Okta at least 3)", positiveInteger, 5)
    .option("--keep", "leave the users and groups the replay created (default: delete them at the end)")
    .action(async (idp: keyof typeof replays, options: { url: string; token: string; users: number; groups: number; keep?: boolean }) => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const replayOptions = { baseUrl: options.url, token: options.token, users: options.users, groups: options.groups, runId: newRunId(), progress: (line: string) => say(`  ${line}`) };
      say(`Replaying ${idp === "entra" ? "Microsoft Entra ID" : "Okta"}'s provisioning cycle against ${options.url} (run ${replayOptions.runId})`);
      try {
        const report = await replays[idp](replayOptions);
        say(`OK: ${report.requests} requests answered as ${report.idp} expects.`);
        say(`Final state matches: ${report.users} users (${report.inactive} inactive), ${report.groups} groups, ${report.memberships} memberships.`);
        if (options.keep) say(`Kept: users "replay-${replayOptions.runId}-…" and groups "Replay ${replayOptions.runId} …".`);
        else say(`Cleaned up ${await cleanUpReplay(idp, replayOptions, report.directory)} users and groups.`);
      } catch (error) {
        if (!(error instanceof ReplayMismatch)) throw error;
        process.stderr.write(`FAILED: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError("must be a positive whole number");
  return number;
}
