import { createServer } from "node:net";

/*
 * Code the test harness (test/) and the benchmark (bench/) share. Neither is part of the product, so it
 * lives outside src/ and outside the build (tsconfig.build.json); tsconfig.json and bench/tsconfig.json
 * include it.
 */

/** A free TCP port on 127.0.0.1: bound and released, so another process may take it before the caller binds it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
