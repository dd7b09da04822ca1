import type { Config } from "../config.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";

/** Opens the configured database (applying migrations), runs `work`, and closes it. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.databaseUrl);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The public URL: MUSTER_PUBLIC_URL, or http://host:port with wildcard hosts shown as localhost. */
export function publicUrlOf(config: Config, port: number = config.port): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
