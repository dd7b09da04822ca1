import type { Command } from "commander";
import { issueClientToken, revokeClientToken } from "../admin/client-tokens.js";
import { presentToken } from "../http/admin-api/present-tenant.js";
import { scimBaseUrl } from "../http/server.js";
import { requireTenant } from "../provisioning/tenants.js";
import { maskToken } from "../provisioning/tokens.js";
import { cliActor } from "./cli-actor.js";
import { printJson, printTable } from "./output.js";
import { commandConfig, publicUrlOf, withDatabaseOptions, withStore, type DatabaseOptions } from "./store-access.js";

/** `muster tokens create|list|revoke`. */
export function registerTokenCommands(program: Command): void {
  const tokens = program.command("tokens").description("manage SCIM client tokens of a tenant");
  withDatabaseOptions(
    tokens
      .command("create")
      .description("create a token for a SCIM client; the token is shown once")
      .requiredOption("--tenant <slug>", "tenant slug")
      .requiredOption("--client <name>", 'client name, e.g. "Azure AD SCIM"')
      .option("--json", "print JSON (the token is under \"token\")"),
    { printsUrls: true },
  ).action(async (options: DatabaseOptions & { tenant: string; client: string; json?: boolean }) => {
    const config = commandConfig(options);
    const issued = await withStore(config, (store) => issueClientToken(store, cliActor(), options.tenant, options.client));
    const baseUrl = scimBaseUrl(publicUrlOf(config), issued.tenant.slug);
    if (options.json) {
      printJson({ ...presentToken(issued.record), token: issued.token, scimBaseUrl: baseUrl });
      return;
    }
    console.log(`Token for "${issued.record.clientName}" (id ${issued.record.id}). Copy it now: it is not shown again.\n`);
    console.log(`  ${issued.token}\n`);
    console.log(`SCIM base URL (Tenant URL): ${baseUrl}`);
    console.log(`Try it: curl -H "Authorization: Bearer ${issued.token}" ${baseUrl}/Users`);
  });
  withDatabaseOptions(
    tokens.command("list").description("list a tenant's tokens (masked)").requiredOption("--tenant <slug>", "tenant slug").option("--json", "print JSON"),
    { printsUrls: false },
  ).action(async (options: DatabaseOptions & { tenant: string; json?: boolean }) => {
    const config = commandConfig(options);
    const list = await withStore(config, async (store) => {
      const tenant = await requireTenant(store, options.tenant);
      return store.read((session) => session.tokens.list(tenant.id));
    });
    if (options.json) {
      printJson(list.map(presentToken));
      return;
    }
    printTable(
      list.map((token) => ({
        ID: token.id,
        CLIENT: token.clientName,
        TOKEN: maskToken(token.hint),
        GENERATED: token.created,
        "LAST USED": token.lastUsed ?? "never",
        STATUS: token.revoked ? `revoked ${token.revoked}` : "active",
      })),
      ["ID", "CLIENT", "TOKEN", "GENERATED", "LAST USED", "STATUS"],
    );
  });
  withDatabaseOptions(
    tokens.command("revoke <tokenId>").description("revoke a token; SCIM requests with it get 401 within seconds").requiredOption("--tenant <slug>", "tenant slug"),
    { printsUrls: false },
  ).action(async (tokenId: string, options: DatabaseOptions & { tenant: string }) => {
    const config = commandConfig(options);
    await withStore(config, (store) => revokeClientToken(store, undefined, cliActor(), options.tenant, tokenId));
    console.log(`Revoked token ${tokenId}. Servers stop accepting it within 5 seconds.`);
  });
}
