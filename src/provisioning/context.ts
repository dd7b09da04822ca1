import type { CursorCodec } from "../scim/cursor.js";
import type { SchemaRegistry } from "../scim/schema/registry.js";
import type { Store } from "../store/store.js";

/** What the provisioning use cases need: the database, the schemas, the cursor key and a clock. */
export interface ProvisioningContext {
  readonly store: Store;
  readonly registry: SchemaRegistry;
  readonly cursors: CursorCodec;
  readonly now: () => Date;
}
