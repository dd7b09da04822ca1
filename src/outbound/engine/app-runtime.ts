import type { AppRecord } from "../../store/outbound.js";
import { fail, ok, type Result } from "../../scim/result.js";
import { decryptSecret } from "../../secrets/decrypt-secret.js";
import type { SecretKeyring } from "../../secrets/secret-keyring.js";
import { ScimTargetClient } from "../client/scim-target-client.js";
import type { Exchange } from "../client/request-record.js";
import { compileMappings, type CompiledMappings } from "../mapping/compile-mappings.js";
import { describeMappingProblem } from "../mapping/attribute-mapping.js";
import { compileScope, type CompiledScope } from "../scope/compile-scope.js";
import { parseAppSettings } from "../settings/parse-app-settings.js";
import { describeSettingsProblems } from "../settings/settings-problem.js";
import type { AppSettings } from "../settings/app-settings-schema.js";

/** The associated data an app's token is encrypted with: a ciphertext only opens for the app it was made for. */
export function appTokenContext(tenantId: string, appId: string): string {
  return `app:${tenantId}:${appId}:token`;
}

/** How the engine's HTTP clients behave (docs/outbound.md). */
export interface ClientSettings {
  /** Let apps reach private, loopback and link-local addresses (MUSTER_APPS_ALLOW_PRIVATE). */
  readonly allowPrivateAddresses: boolean;
  readonly timeoutMs?: number;
}

/** Everything the engine needs to work on one app: its settings, compiled mappings and scope, and a client for its target. */
export interface AppRuntime {
  readonly app: AppRecord;
  readonly settings: AppSettings;
  readonly users: CompiledMappings;
  readonly groups: CompiledMappings;
  readonly scope: CompiledScope;
  readonly client: ScimTargetClient;
}

/** Why an app cannot run at all (its settings or token are unusable): a reason for quarantine, in words. */
export interface RuntimeProblem {
  readonly code: "settings" | "token";
  readonly reason: string;
}

/**
 * Opens an app for work: validates its stored settings, compiles its mappings and scope, decrypts its
 * token and makes a client. `onExchange` sees every HTTP exchange (on-demand provisioning's steps).
 */
export function openAppRuntime(app: AppRecord, keyring: SecretKeyring, clients: ClientSettings, onExchange?: (exchange: Exchange) => void): Result<AppRuntime, RuntimeProblem> {
  const settings = parseAppSettings({ ...app.settings, name: app.name, baseUrl: app.baseUrl, provisioning: app.provisioning });
  if (!settings.ok) return fail({ code: "settings", reason: `The app's settings are not valid: ${describeSettingsProblems(settings.error)}` });
  const users = compileMappings("User", settings.value.userMappings);
  if (!users.ok) return fail({ code: "settings", reason: `The user mappings are not valid: ${users.error.map(describeMappingProblem).join("; ")}` });
  const groups = compileMappings("Group", settings.value.groupMappings);
  if (!groups.ok) return fail({ code: "settings", reason: `The group mappings are not valid: ${groups.error.map(describeMappingProblem).join("; ")}` });
  const scope = compileScope(settings.value);
  if (!scope.ok) return fail({ code: "settings", reason: `The scoping filter is not valid: ${scope.error}` });
  const token = decryptSecret(keyring, app.tokenCiphertext, appTokenContext(app.tenantId, app.id));
  if (!token.ok) return fail({ code: "token", reason: `The Secret Token cannot be decrypted: ${token.error.message}. Enter the token again.` });
  const state = app.state as { memberChangesPerPatch?: unknown };
  const learned = typeof state.memberChangesPerPatch === "number" ? state.memberChangesPerPatch : undefined;
  const client = new ScimTargetClient({
    baseUrl: app.baseUrl,
    token: token.value,
    allowPrivateAddresses: clients.allowPrivateAddresses,
    maxConcurrency: settings.value.maxConcurrency,
    memberChangesPerPatch: Math.min(settings.value.maxMembersPerPatch, learned ?? settings.value.maxMembersPerPatch),
    ...(clients.timeoutMs === undefined ? {} : { timeoutMs: clients.timeoutMs }),
    ...(onExchange ? { onExchange } : {}),
  });
  return ok({ app, settings: settings.value, users: users.value, groups: groups.value, scope: scope.value, client });
}
