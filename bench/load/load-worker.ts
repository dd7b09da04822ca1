import type { TenantManifest } from "../dataset/manifest.js";
import { readManifest } from "../dataset/manifest.js";
import { createUsers } from "./create-users.js";
import { replayEntraCycle } from "./entra-replay.js";
import type { LoadCommand, LoadMessage, LoadReply } from "./load-protocol.js";
import { runLoad } from "./run-load.js";
import { walkPages } from "./walk-pages.js";

/*
 * The load-generator process: forked by the bench, it receives one command at a time over IPC, drives
 * a server with it and answers with the figures. Keeping load generation out of the bench's own
 * process means sampling and bookkeeping never slow the requests down.
 */

const manifests = new Map<string, TenantManifest>();

function manifestOf(file: string): TenantManifest {
  let manifest = manifests.get(file);
  if (!manifest) {
    manifest = readManifest(file);
    manifests.set(file, manifest);
  }
  return manifest;
}

async function execute(command: LoadCommand): Promise<unknown> {
  switch (command.kind) {
    case "load":
      return runLoad(command.job, manifestOf(command.manifestFile));
    case "paging":
      return walkPages(command.job);
    case "replay":
      return replayEntraCycle(command.job);
    case "create-users":
      return createUsers(command.job);
  }
}

process.on("message", (message: LoadMessage) => {
  execute(message.command).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies LoadReply),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies LoadReply),
  );
});
process.on("disconnect", () => process.exit(0));
