import { startTestServer, type TestServer } from "../../support/scim-server.js";
import { IdpClient, type IdpProfile } from "./idp-clients.js";

/** A running Muster with one tenant per IdP flow, each reached through an IdP-shaped client. */
export interface IdpHarness {
  readonly server: TestServer;
  /** Creates a fresh tenant and a client for it speaking as `profile`. */
  tenant(slug: string, profile: IdpProfile): Promise<IdpClient>;
  close(): Promise<void>;
}

/** Starts a real server for an IdP suite on a fresh database of the test project's kind (SQLite or PostgreSQL). */
export async function startIdpHarness(options: { rateLimitPerMinute?: number } = {}): Promise<IdpHarness> {
  const server = await startTestServer(options);
  return {
    server,
    async tenant(slug, profile) {
      const tenant = await server.addTenant(slug);
      return new IdpClient(profile, tenant.baseUrl, tenant.token);
    },
    close: () => server.close(),
  };
}
