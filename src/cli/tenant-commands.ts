import type { Command } from "commander";
import { createTenant } from "../admin/tenants.js";
import { presentTenant } from "../http/admin-api/present-tenant.js";
import { cliActor } from "./cli-actor.js";
import { printJson, printTable } from "./output.js";
import { commandConfig, publicUrlOf, withDatabaseOptions, withStore, type DatabaseOptions } from "./store-access.js";

/** `muster tenants create|list`. */
export function registerTenantCommands(program: Command): void {
  const tenants = program.command("tenants").description("manage tenants (one SCIM base URL each)");
  withDatabaseOptions(
    tenants
      .command("create <slug>")
      .description("create a tenant; its SCIM base URL is /scim/v2/<slug>")
      .option("--name <name>", "display name (default: the slug)")
      .option("--json", "print JSON"),
    { printsUrls: true },
  ).action(async (slug: string, options: DatabaseOptions & { name?: string; json?: boolean }) => {
    const config = commandConfig(options);
    const tenant = await withStore(config, (store) => createTenant(store, cliActor(), slug, options.name));
    const presented = presentTenant(tenant, publicUrlOf(config));
    if (options.json) printJson(presented);
    else console.log(`Created tenant "${tenant.slug}" (${tenant.name}).\nSCIM base URL: ${presented.scimBaseUrl}`);
  });
  withDatabaseOptions(tenants.command("list").description("list tenants").option("--json", "print JSON"), { printsUrls: true }).action(
    async (options: DatabaseOptions & { json?: boolean }) => {
      const config = commandConfig(options);
      const list = await withStore(config, (store) => store.read((session) => session.tenants.list()));
      const rows = list.map((tenant) => presentTenant(tenant, publicUrlOf(config)));
      if (options.json) printJson(rows);
      else printTable(rows.map((row) => ({ SLUG: row.slug, NAME: row.name, CREATED: row.createdAt, "SCIM BASE URL": row.scimBaseUrl })), ["SLUG", "NAME", "CREATED", "SCIM BASE URL"]);
    },
  );
}
