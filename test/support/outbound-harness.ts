import { randomBytes } from "node:crypto";
import type { JsonObject } from "../../src/scim/json.js";
import { appTokenContext } from "../../src/outbound/engine/app-runtime.js";
import { readAppState, type AppState } from "../../src/outbound/engine/app-state.js";
import type { RunnerOptions } from "../../src/outbound/engine/app-runner.js";
import { OutboundEngine } from "../../src/outbound/engine/outbound-engine.js";
import type { AppSettingsInput } from "../../src/outbound/settings/app-settings-schema.js";
import { parseAppSettings } from "../../src/outbound/settings/parse-app-settings.js";
import { encryptSecret } from "../../src/secrets/encrypt-secret.js";
import { secretKeyOf } from "../../src/secrets/secret-key.js";
import type { SecretKeyring } from "../../src/secrets/secret-keyring.js";
import type { Store } from "../../src/store/store.js";

/** A source store, one outbound app on it, and the engine that pushes it: what the engine tests share. */
export class OutboundHarness {
  /** The secret key's bytes as hex, for an engine in another process (test/support/outbound-child.ts). */
  readonly keyHex: string;
  readonly keyring: SecretKeyring;
  readonly errors: unknown[] = [];
  readonly store: Store;
  readonly tenantId: string;
  engine: OutboundEngine | undefined;

  constructor(store: Store, tenantId = "t1") {
    this.store = store;
    this.tenantId = tenantId;
    const key = randomBytes(32);
    this.keyHex = key.toString("hex");
    this.keyring = { current: secretKeyOf(key), previous: [] };
  }

  /** Creates app `id` pointing at `baseUrl` with `token`; settings default to scope all and provisioning on. */
  async createApp(baseUrl: string, token: string, settings: Partial<AppSettingsInput> = {}, id = "app-1"): Promise<void> {
    const parsed = parseAppSettings({ name: "Target", baseUrl, provisioning: "on", scope: { kind: "all" }, ...settings });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const now = new Date().toISOString();
    await this.store.write((s) =>
      s.outbound.createApp({
        tenantId: this.tenantId,
        id,
        name: parsed.value.name,
        baseUrl,
        tokenCiphertext: encryptSecret(this.keyring, token, appTokenContext(this.tenantId, id)),
        tokenHint: token.slice(-4),
        settings: parsed.value as unknown as JsonObject,
        provisioning: parsed.value.provisioning,
        state: {},
        created: now,
        updated: now,
      }),
    );
  }

  /** Starts an engine that scans every 100 ms and polls the feed every 50 ms (runner options may change that, or the page size). */
  start(runner: Partial<RunnerOptions> = {}): OutboundEngine {
    this.engine = new OutboundEngine(this.store, this.keyring, { clients: { allowPrivateAddresses: true, timeoutMs: 5_000 }, scanMs: 100, runner: { pollMs: 50, ...runner }, onError: (error) => this.errors.push(error) });
    this.engine.start();
    return this.engine;
  }

  async stop(): Promise<void> {
    await this.engine?.stop();
    this.engine = undefined;
  }

  /** Polls until `probe` gives something truthy; fails with the last value and the engine's errors. */
  async until<T>(what: string, probe: () => T | Promise<T>, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await probe();
      if (last) return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what} did not happen within ${ms} ms (last: ${JSON.stringify(last)}; engine errors: ${this.errors.map(String).join("; ")})`);
  }

  /** The engine's state of an app. */
  async state(id = "app-1"): Promise<AppState> {
    const app = await this.store.read((s) => s.outbound.getApp(this.tenantId, id));
    return readAppState(app!.state);
  }

  /** Changes the engine's state of an app as an admin's action would (for making a retry or reconcile due in a test). */
  async changeState(change: (state: AppState) => AppState, id = "app-1"): Promise<void> {
    await this.store.write(async (s) => {
      const app = await s.outbound.getApp(this.tenantId, id);
      await s.outbound.updateApp(this.tenantId, id, {}, new Date().toISOString());
      await s.outbound.saveAppState(this.tenantId, id, change(readAppState(app!.state)) as unknown as JsonObject);
    });
  }

  /** Replaces a user's attributes as a SCIM PUT would. */
  async updateUser(id: string, attributes: JsonObject): Promise<void> {
    await this.store.write(async (s) => {
      const current = await s.resources.get("User", this.tenantId, id);
      await s.resources.update({ tenantId: this.tenantId, id, type: "User", attributes, lastModified: new Date().toISOString(), expectedVersion: current!.version, previous: current!.attributes });
    });
  }
}
