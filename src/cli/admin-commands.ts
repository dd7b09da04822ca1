import type { Command } from "commander";
import { createAdmin, listAdmins } from "../admin/admin-accounts.js";
import { createSetupLink, setupLinkUrl } from "../admin/setup-links.js";
import { presentAdmin } from "../http/admin-api/present-session.js";
import { cliActor } from "./cli-actor.js";
import { printJson, printTable } from "./output.js";
import { commandConfig, publicUrlOf, withDatabaseOptions, withStore, type DatabaseOptions } from "./store-access.js";

/** `muster admins create|list`: console admin accounts. */
export function registerAdminCommands(program: Command): void {
  const admins = program.command("admins").description("manage admin accounts of the web console");
  withDatabaseOptions(
    admins
      .command("create <email>")
      .description("create an admin: with --password-stdin at once, otherwise through a one-time setup link (valid 24 hours)")
      .option("--password-stdin", "read the password from standard input (one line; e.g. piped from a secret store)")
      .option("--json", "print JSON"),
    { printsUrls: true },
  ).action(async (email: string, options: DatabaseOptions & { passwordStdin?: boolean; json?: boolean }) => {
    const config = commandConfig(options);
    if (options.passwordStdin) {
      const password = await readPassword();
      const admin = await withStore(config, (store) => createAdmin(store, cliActor(), email, password));
      if (options.json) printJson(presentAdmin(admin));
      else console.log(`Created admin ${admin.email} (id ${admin.id}). Sign in at ${publicUrlOf(config)}/admin.`);
      return;
    }
    const { secret, record } = await withStore(config, (store) => createSetupLink(store, cliActor(), email));
    const url = setupLinkUrl(publicUrlOf(config), secret);
    if (options.json) {
      printJson({ email: record.email, setupUrl: url, expiresAt: record.expires });
      return;
    }
    console.log(`One-time setup link for ${record.email} (works once, until ${record.expires}):\n`);
    console.log(`  ${url}\n`);
    console.log("Whoever opens it chooses the password, so send it only to that person over a channel you trust.");
  });
  withDatabaseOptions(admins.command("list").description("list admins").option("--json", "print JSON"), { printsUrls: false }).action(
    async (options: DatabaseOptions & { json?: boolean }) => {
      const list = await withStore(commandConfig(options), (store) => listAdmins(store));
      if (options.json) printJson(list.map(presentAdmin));
      else
        printTable(
          list.map((admin) => ({ ID: admin.id, EMAIL: admin.email, CREATED: admin.created, "PASSWORD CHANGED": admin.passwordChanged ?? "never" })),
          ["ID", "EMAIL", "CREATED", "PASSWORD CHANGED"],
        );
    },
  );
}

/** Standard input up to its end, without the line break that ends it (`echo` and here-strings add one). */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
