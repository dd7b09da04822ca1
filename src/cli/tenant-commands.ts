import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { scimBaseUrl } from "../http/server.js";
import { createTenant } from "../provisioning/tenants.js";
import { withStore, publicUrlOf } from "./store-access.js";
import { printJson, printTable } from "./output.js";

/** `muster tenants create|list`. */
export function registerTenantCommands(program: Command): void {
  const tenants = program.command("tenants").description("manage tenants (one SCIM base URL each)");
  tenants
    .command("create <slug>")
    .description("create a tenant; its SCIM base URL is /scim/v2/<slug>")
    .option("--name <name>", "display name (default: the slug)")
    .option("--db <url>", "database URL (default: $MUSTER_DATABASE_URL or sqlite:./data/muster.db)")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { name?: string; db?: string; json?: boolean }) => {
      const config = loadConfig({ db: options.db });
      const tenant = await withStore(config, (store) => createTenant(store, slug, options.name));
      const baseUrl = scimBaseUrl(publicUrlOf(config), tenant.slug);
      if (options.json) printJson({ ...tenant, scimBaseUrl: baseUrl });
      else console.log(`Created tenant "${tenant.slug}" (${tenant.name}).\nSCIM base URL: ${baseUrl}`);
    });
  tenants
    .command("list")
    .description("list tenants")
    .option("--db <url>", "database URL")
    .option("--json", "print JSON")
    .action(async (options: { db?: string; json?: boolean }) => {
      const config = loadConfig({ db: options.db });
      const list = await withStore(config, (store) => store.read((session) => session.tenants.list()));
      const rows = list.map((tenant) => ({ ...tenant, scimBaseUrl: scimBaseUrl(publicUrlOf(config), tenant.slug) }));
      if (options.json) printJson(rows);
      else printTable(rows.map((row) => ({ SLUG: row.slug, NAME: row.name, CREATED: row.created, "SCIM BASE URL": row.scimBaseUrl })), ["SLUG", "NAME", "CREATED", "SCIM BASE URL"]);
    });
}
