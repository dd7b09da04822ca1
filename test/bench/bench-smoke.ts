import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCeilingServer, type CeilingServer } from "../../bench/ceiling-server.js";
import { ensureDataset, type Dataset } from "../../bench/dataset/dataset-cache.js";
import { emailPart } from "../../bench/dataset/generate-user.js";
import { planTenant } from "../../bench/dataset/tenant-plan.js";
import { replayEntraCycle } from "../../bench/load/entra-replay.js";
import { runLoad } from "../../bench/load/run-load.js";
import { walkPages } from "../../bench/load/walk-pages.js";
import { silentProgress } from "../../bench/report/progress-bars.js";
import { filterQuery } from "../../bench/scenarios/request-bodies.js";
import { scenarios } from "../../bench/scenarios/scenarios.js";
import { buildServer, type MusterServer } from "../../src/http/server.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

/** The database a smoke run serves from: Muster's URL, the ceiling's --db, and how to remove it. */
export interface SmokeDatabase {
  readonly musterUrl: string;
  readonly ceilingDatabase: string;
  /**
   * Whether both servers may be driven at once. Not on PostgreSQL: there Muster (group row, then member
   * rows) and the ceiling (member rows, then group row) changing the same member of the same group at
   * the same moment deadlock, which the bench never sees since it drives one server at a time.
   */
  readonly concurrentLoad: boolean;
  remove(): Promise<void>;
}

/**
 * The bench's own pieces on a 500-user tenant, both servers in this process and runs of a second:
 * every scenario must get only the statuses it expects from Muster and from the ceiling. `prepare`
 * turns the generated (cached) tenant into the run's database.
 */
export function describeBenchSmoke(title: string, prepare: (dataset: Dataset, workDir: string) => Promise<SmokeDatabase>): void {
  describe(title, () => {
    const dataDir = mkdtempSync(join(tmpdir(), "muster-bench-"));
    const plan = planTenant(500);
    let dataset: Dataset;
    let database: SmokeDatabase | undefined;
    let store: Store;
    let muster: MusterServer;
    let ceiling: CeilingServer;
    let musterOrigin = "";
    let ceilingOrigin = "";

    beforeAll(async () => {
      dataset = await ensureDataset({ dataDir, plan, fresh: false, progress: silentProgress });
      database = await prepare(dataset, join(dataDir, "run"));
      store = await openStore(database.musterUrl);
      muster = await buildServer({ store, publicUrl: "http://127.0.0.1", logger: false, rateLimitPerMinute: 0 });
      await muster.app.listen({ host: "127.0.0.1", port: 0 });
      musterOrigin = `http://127.0.0.1:${(muster.app.server.address() as AddressInfo).port}`;
      ceiling = await buildCeilingServer(database.ceilingDatabase, dataset.manifest.tenantSlug);
      await ceiling.app.listen({ host: "127.0.0.1", port: 0 });
      ceilingOrigin = `http://127.0.0.1:${(ceiling.app.server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await ceiling?.close();
      await muster?.close();
      await store?.close();
      await database?.remove();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("generates the planned tenant once and reuses it from the cache", async () => {
      const { manifest } = dataset;
      expect(manifest.users).toHaveLength(500);
      expect(manifest.bigGroup.size).toBe(250);
      expect(manifest.smallGroup.size).toBe(10);
      expect(manifest.smallGroup.memberIds).toHaveLength(10);
      expect(manifest.groups.length).toBe(plan.groups - 2);
      const again = await ensureDataset({ dataDir, plan, fresh: false, progress: silentProgress });
      expect(again.generated).toBe(false);
      expect(again.manifest.token).toBe(manifest.token);
    });

    // Before the load runs, which add and change users on the database both servers share.
    it("finds the same users for each filter on Muster and on the ceiling", async () => {
      const list = async (origin: string, filter: string) => {
        const response = await fetch(`${origin}/scim/v2/bench/Users?count=1000&${filterQuery(filter)}`, { headers: { authorization: `Bearer ${dataset.manifest.token}` } });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { totalResults: number; Resources: { id: string }[] };
        return { totalResults: body.totalResults, ids: body.Resources.map((resource) => resource.id).sort() };
      };
      const user = dataset.manifest.users[0]!;
      const filters = [
        `userName eq "${user.userName.toUpperCase()}"`,
        `emails[type eq "work"].value eq "${user.workEmail}"`,
        `name.familyName sw "${[...user.familyName].slice(0, 3).join("")}"`,
        `userName co "${emailPart(user.familyName)}.${user.index}@"`,
        `userName co "${emailPart(user.familyName).slice(0, 3)}"`,
      ];
      for (const filter of filters) {
        const [fromMuster, fromCeiling] = await Promise.all([list(musterOrigin, filter), list(ceilingOrigin, filter)]);
        expect(fromMuster.totalResults, filter).toBeGreaterThan(0);
        expect(fromCeiling, filter).toEqual(fromMuster);
      }
    });

    it.each(scenarios.map((scenario) => [scenario.id]))("gets only expected statuses for %s from Muster and the ceiling", async (id) => {
      // autocannon ends runs on whole seconds: one second each, both servers at once where possible, keeps the suite short.
      const run = async (origin: string, index: number) => ({
        origin,
        figures: await runLoad({ scenario: id, origin, token: dataset.manifest.token, connections: 2, durationSeconds: 1, warmupSeconds: 0, seed: 7, firstNewIndex: plan.users + (index + 1) * 1_000_000 }, dataset.manifest),
      });
      const origins = [musterOrigin, ceilingOrigin];
      const results = database?.concurrentLoad ? await Promise.all(origins.map(run)) : [await run(musterOrigin, 0), await run(ceilingOrigin, 1)];
      for (const { origin, figures } of results) {
        expect(figures.requests).toBeGreaterThan(0);
        expect({ origin, unexpected: figures.unexpected, errors: figures.errors, statuses: figures.statuses }).toMatchObject({ unexpected: 0, errors: 0 });
      }
    });

    it("walks every user by index and by cursor on both servers", async () => {
      for (const origin of [musterOrigin, ceilingOrigin]) {
        for (const mode of ["index", "cursor"] as const) {
          const figures = await walkPages({ mode, origin, token: dataset.manifest.token, basePath: "/scim/v2/bench", count: 200, maxSeconds: 30 });
          expect(figures).toMatchObject({ complete: true, failures: 0 });
          expect(figures.resources).toBe(figures.totalResults);
          expect(figures.totalResults).toBeGreaterThanOrEqual(500);
        }
      }
    });

    it("replays an Entra initial cycle without a failed step on both servers", async () => {
      for (const [origin, tag] of [[musterOrigin, "m"], [ceilingOrigin, "c"]] as const) {
        const figures = await replayEntraCycle({ origin, token: dataset.manifest.token, basePath: "/scim/v2/bench", plan, users: 25, groups: 2, concurrency: 4, firstNewIndex: plan.users + (tag === "m" ? 5_000_000 : 6_000_000), tag });
        expect(figures.firstFailure).toBeUndefined();
        expect(figures.requests).toBe(25 * 2 + 2 * 2 + 4);
      }
    });
  });
}
