import { configDefaults, defineConfig } from "vitest/config";

/*
 * Three projects. The storage suite and the HTTP and IdP integration tests run twice, once per database
 * (MUSTER_TEST_DATABASE tells src/store/testing and test/support which one to open); the postgres project
 * starts a throwaway PostgreSQL cluster for its run and fails when it cannot. Tests of one database's own
 * behaviour run in that database's project only; everything else runs once, in "unit".
 */

/** The Store contract, on whichever database the project names. */
const storage = ["src/store/tests/**/*.test.ts"];
/** Real servers on a real database. */
const integration = ["test/http/**/*.test.ts", "test/idp/**/*.test.ts", "test/outbound/**/*.test.ts"];
/** SQLite's SQL, query plans, statement cache, durability and locking; the CLI and browser tests, which run on SQLite files. */
const sqliteOnly = ["src/store/sqlite/**/*.test.ts", "test/cli/**/*.test.ts", "test/e2e/**/*.test.ts"];
/** PostgreSQL's SQL and concurrency between nodes, the cluster harness itself, the CLI on PostgreSQL (copy, migrate), and several `muster serve` nodes on one database. */
const postgresOnly = ["src/store/postgres/**/*.test.ts", "test/support/postgres-*.test.ts", "test/cli/**/*.postgres.test.ts", "test/bench/**/*.postgres.test.ts", "test/multi-node/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "web/src/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...storage, ...integration, ...sqliteOnly, ...postgresOnly],
          env: { MUSTER_TEST_DATABASE: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "sqlite",
          include: [...storage, ...integration, ...sqliteOnly],
          exclude: [...configDefaults.exclude, ...postgresOnly],
          env: { MUSTER_TEST_DATABASE: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: [...storage, ...integration, ...postgresOnly],
          env: { MUSTER_TEST_DATABASE: "postgres" },
          globalSetup: ["test/support/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
