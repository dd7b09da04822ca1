import { existsSync, readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { AdminError } from "../admin/admin-error.js";
import { ConfigError } from "../config.js";
import { ScimError } from "../scim/errors.js";
import { SecretKeyError } from "../secrets/secret-key-error.js";
import { CopyError } from "../store/copy-store.js";
import { SchemaVersionError } from "../store/migrations/schema-status.js";
import { registerAdminCommands } from "./admin-commands.js";
import { registerAppCommands } from "./apps-commands.js";
import { registerBackupCommand } from "./backup-command.js";
import { registerCopyCommand } from "./copy-command.js";
import { registerMigrateCommand } from "./migrate-command.js";
import { registerReplayCommand } from "./replay-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerTenantCommands } from "./tenant-commands.js";
import { registerTokenCommands } from "./token-commands.js";

/** Runs the `muster` command line with process.argv-style arguments. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command("muster")
    .description("Muster: a SCIM 2.0 provisioning server")
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerTenantCommands(program);
  registerTokenCommands(program);
  registerAppCommands(program);
  registerAdminCommands(program);
  registerReplayCommand(program);
  registerMigrateCommand(program);
  registerCopyCommand(program);
  registerBackupCommand(program);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof ScimError || error instanceof ConfigError || error instanceof AdminError || error instanceof SchemaVersionError || error instanceof CopyError || error instanceof SecretKeyError) {
      process.stderr.write(`muster: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/** The version in Muster's package.json, found by walking up from this file (it runs from src/ in tests, dist/src/ when built). */
function packageVersion(): string {
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    const candidate = new URL("package.json", dir);
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, "utf8")) as { version: string }).version;
    if (dir.pathname === "/") return "unknown";
  }
}
