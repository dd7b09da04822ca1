import type { SecretKeyring } from "../../secrets/secret-keyring.js";
import type { Store } from "../../store/store.js";
import type { ClientSettings } from "../engine/app-runtime.js";

/** What the outbound app use cases run with: the store, the key that encrypts targets' tokens, how clients connect, a clock. */
export interface AppsContext {
  readonly store: Store;
  readonly keyring: SecretKeyring;
  /** Whether targets may be at private addresses (MUSTER_APPS_ALLOW_PRIVATE), and the request timeout. */
  readonly clients: ClientSettings;
  readonly now: () => Date;
}

/** What use cases that need no secret (switching, restarting, deleting, deciding on staged actions) run with. */
export type AppStoreContext = Pick<AppsContext, "store" | "now">;
