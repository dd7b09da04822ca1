import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { adminError } from "../admin/admin-error.js";
import { listAppLog, parseAppLogFilter } from "../outbound/apps/app-logs.js";
import { restartApp, setProvisioning } from "../outbound/apps/app-switches.js";
import type { AppsContext, AppStoreContext } from "../outbound/apps/apps-context.js";
import { createApp } from "../outbound/apps/create-app.js";
import { deleteApp } from "../outbound/apps/delete-app.js";
import { provisionOnDemand } from "../outbound/apps/provision-on-demand.js";
import { getApp, listApps } from "../outbound/apps/read-apps.js";
import { testAppConnection } from "../outbound/apps/test-app-connection.js";
import { presentApp, presentAppLogEntry, presentConnectionReport, presentProvisionResult } from "../http/admin-api/present-app.js";
import { loadSecretKeyring } from "../secrets/load-secret-keyring.js";
import { printAppLog, printApps, printConnectionReport, printProvisionResult } from "./apps-output.js";
import { cliActor } from "./cli-actor.js";
import { printJson } from "./output.js";
import { commandConfig, withDatabaseOptions, withStore, type DatabaseOptions } from "./store-access.js";

/** Options of every `muster apps` command. */
type AppOptions = DatabaseOptions & { readonly tenant: string; readonly json?: boolean };

/** Opens the database and the secret key (created on first use, as `serve` does) and runs an apps use case. */
async function withApps<T>(options: DatabaseOptions, work: (ctx: AppsContext) => Promise<T>): Promise<T> {
  const config = commandConfig(options);
  const keyring = await loadSecretKeyring(config);
  return withStore(config, (store) => work({ store, keyring, clients: { allowPrivateAddresses: config.appsAllowPrivate }, now: () => new Date() }));
}

/** Opens the database (not the secret key: switching an app off must work even when the key is lost) and runs an apps use case. */
async function withAppStore<T>(options: DatabaseOptions, work: (ctx: AppStoreContext) => Promise<T>): Promise<T> {
  return withStore(commandConfig(options), (store) => work({ store, now: () => new Date() }));
}

/** Everything on standard input (the target's token: never on the command line, where `ps` would show it). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Paste the target's Secret Token, then press Enter and Ctrl-D:\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON object of further settings from a file (`--settings FILE`), e.g. mappings. */
function settingsFile(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw adminError("invalid", `--settings ${path}: ${error instanceof Error ? error.message : String(error)}`, { field: "settings" });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw adminError("invalid", `--settings ${path} must hold a JSON object of settings.`, { field: "settings" });
  return parsed as Record<string, unknown>;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const tenantOption = () => new Option("--tenant <slug>", "tenant slug").makeOptionMandatory();

/** `muster apps create|list|test|provision|pause|resume|restart|logs|delete`: outbound apps of a tenant (docs/outbound.md). */
export function registerAppCommands(program: Command): void {
  const apps = program.command("apps").description("manage outbound apps: SCIM services a tenant's users and groups are provisioned into");

  withDatabaseOptions(
    apps
      .command("create")
      .description("add an app; the target's token is read from standard input")
      .addOption(tenantOption())
      .requiredOption("--name <name>", "the app's name")
      .requiredOption("--url <url>", "the target's SCIM base URL (Tenant URL)")
      .requiredOption("--token-stdin", "read the target's Secret Token from standard input (never from the command line)")
      .addOption(new Option("--scope <scope>", "provision all users and groups, or only assigned ones (default: assigned)").choices(["all", "assigned"]))
      .option("--group <id>", "assign a group (with --scope assigned; repeatable)", collect)
      .option("--user <id>", "assign a user (with --scope assigned; repeatable)", collect)
      .addOption(new Option("--provisioning <state>", "start provisioning at once (default: off, to test first)").choices(["on", "off"]))
      .option("--settings <file>", "a JSON file with further settings (mappings, matching, thresholds…)")
      .option("--test", "run Test Connection first and save nothing if it fails")
      .option("--json", "print the app as JSON (its id under \"id\")"),
    { printsUrls: false },
  ).action(async (options: AppOptions & { name: string; url: string; scope?: string; group?: string[]; user?: string[]; provisioning?: string; settings?: string; test?: boolean }) => {
    const token = await readStdin();
    const extra = settingsFile(options.settings);
    const assigned = options.group !== undefined || options.user !== undefined;
    const kind = options.scope ?? (assigned ? "assigned" : undefined);
    const scope = kind === "all" ? { kind: "all" } : kind === "assigned" ? { kind: "assigned", groupIds: options.group ?? [], userIds: options.user ?? [] } : undefined;
    const settings = { ...extra, name: options.name, baseUrl: options.url, ...(scope ? { scope } : {}), ...(options.provisioning ? { provisioning: options.provisioning } : {}) };
    const overview = await withApps(options, async (ctx) => {
      const created = await createApp(ctx, cliActor(), options.tenant, { settings, token, testConnection: options.test === true });
      return getApp(ctx.store, options.tenant, created.id);
    });
    if (options.json) {
      printJson(presentApp(overview));
      return;
    }
    const { app } = overview;
    console.log(`Created app "${app.name}" (id ${app.id}) for ${app.baseUrl}; provisioning is ${app.provisioning}.`);
    if (app.provisioning === "off") console.log(`Test it with \`muster apps test --tenant ${options.tenant} ${app.id}\`, then start it with \`muster apps resume --tenant ${options.tenant} ${app.id}\`.`);
  });

  withDatabaseOptions(apps.command("list").description("list a tenant's apps: status, last cycle, counts").addOption(tenantOption()).option("--json", "print JSON"), { printsUrls: false }).action(
    async (options: AppOptions) => {
      const list = await withStore(commandConfig(options), (store) => listApps(store, options.tenant));
      if (options.json) printJson(list.map(presentApp));
      else printApps(list.map(presentApp));
    },
  );

  withDatabaseOptions(apps.command("test <appId>").description("Test Connection: exits 0 only when every required probe passes").addOption(tenantOption()).option("--json", "print JSON"), { printsUrls: false }).action(
    async (appId: string, options: AppOptions) => {
      const report = presentConnectionReport(await withApps(options, (ctx) => testAppConnection(ctx, cliActor(), options.tenant, appId)));
      if (options.json) printJson(report);
      else printConnectionReport(report);
      if (!report.ok) process.exitCode = 1;
    },
  );

  withDatabaseOptions(
    apps
      .command("provision <appId>")
      .description("provision one user or group now and show each step (exits 1 when it fails)")
      .addOption(tenantOption())
      .option("--user <id>", "the user to provision")
      .option("--group <id>", "the group to provision")
      .option("--dry-run", "show what would be sent, and send nothing")
      .option("--json", "print JSON"),
    { printsUrls: false },
  ).action(async (appId: string, options: AppOptions & { user?: string; group?: string; dryRun?: boolean }) => {
    if ((options.user === undefined) === (options.group === undefined)) throw adminError("invalid", "Give exactly one of --user <id> and --group <id>.");
    const target = options.user !== undefined ? { type: "User" as const, id: options.user } : { type: "Group" as const, id: options.group! };
    const result = presentProvisionResult(await withApps(options, (ctx) => provisionOnDemand(ctx, cliActor(), options.tenant, appId, { ...target, dryRun: options.dryRun === true })));
    if (options.json) printJson(result);
    else printProvisionResult(result);
    if (result.outcome === "failure") process.exitCode = 1;
  });

  for (const [name, description] of [
    ["pause", "turn provisioning off"],
    ["resume", "turn provisioning on"],
    ["restart", "start a new initial cycle that re-evaluates every object (links are kept)"],
  ] as const) {
    withDatabaseOptions(apps.command(`${name} <appId>`).description(description).addOption(tenantOption()), { printsUrls: false }).action(async (appId: string, options: AppOptions) => {
      const app = await withAppStore(options, (ctx) => (name === "restart" ? restartApp(ctx, cliActor(), options.tenant, appId) : setProvisioning(ctx, cliActor(), options.tenant, appId, name === "resume" ? "on" : "off")));
      const done = name === "restart" ? "restarted: a new initial cycle starts" : `provisioning is ${app.provisioning}`;
      console.log(`App "${app.name}" (${app.id}): ${done}${app.provisioning === "on" ? "; a running `muster serve` picks it up within seconds" : ""}.`);
    });
  }

  withDatabaseOptions(
    apps
      .command("logs <appId>")
      .description("the app's provisioning log, newest first")
      .addOption(tenantOption())
      .addOption(new Option("--status <status>", "only entries of this status").choices(["success", "failure", "skipped", "staged"]))
      .addOption(new Option("--action <action>", "only entries of this action").choices(["create", "update", "adopt", "disable", "delete", "members", "skip", "stage"]))
      .option("--source <id>", "only entries about this user or group")
      .option("--count <n>", "how many entries (1-1000, default 50)", "50")
      .option("--json", "print JSON"),
    { printsUrls: false },
  ).action(async (appId: string, options: AppOptions & { status?: string; action?: string; source?: string; count: string }) => {
    const count = /^\d{1,4}$/.test(options.count) ? Number(options.count) : Number.NaN;
    if (!(count >= 1 && count <= 1000)) throw adminError("invalid", "--count must be a whole number from 1 to 1000.");
    const filter = parseAppLogFilter({ ...(options.status ? { status: options.status } : {}), ...(options.action ? { action: options.action } : {}), ...(options.source ? { sourceId: options.source } : {}) });
    if (!filter.ok) throw filter.error;
    const page = await withStore(commandConfig(options), (store) => listAppLog(store, options.tenant, appId, filter.value, { count }));
    const entries = page.records.map(presentAppLogEntry);
    if (options.json) printJson(entries);
    else printAppLog(entries);
  });

  withDatabaseOptions(apps.command("delete <appId>").description("delete an app with its links and logs (nothing is sent to the target)").addOption(tenantOption()), { printsUrls: false }).action(
    async (appId: string, options: AppOptions) => {
      await withAppStore(options, (ctx) => deleteApp(ctx, cliActor(), options.tenant, appId));
      console.log(`Deleted app ${appId}. What it provisioned stays in the target.`);
    },
  );
}
