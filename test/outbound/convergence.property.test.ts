import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupBody, patchBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";
import { OutboundHarness } from "../support/outbound-harness.js";

/*
 * Convergence (issue 13): tenant A of a real Muster server provisions into tenant B of the same server over
 * real HTTP. Random operations on A (creates, updates, disables, deletes, membership changes, scope changes)
 * run while the engine pushes; once it has caught up, B holds exactly the mapped projection of A's in-scope
 * directory: every in-scope user with its values, out-of-scope users disabled, deleted users gone, and each
 * group with exactly its provisioned members.
 */

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

type Operation =
  | { kind: "createUser"; n: number; department: string }
  | { kind: "updateUser"; n: number; displayName: string; department: string | null }
  | { kind: "setActive"; n: number; active: boolean }
  | { kind: "deleteUser"; n: number }
  | { kind: "createGroup"; g: number }
  | { kind: "deleteGroup"; g: number }
  | { kind: "addMember"; g: number; n: number }
  | { kind: "removeMember"; g: number; n: number }
  | { kind: "scope"; filter: string | null };

const user = fc.integer({ min: 0, max: 7 });
const group = fc.integer({ min: 0, max: 2 });
const department = fc.constantFrom("Sales", "Eng", "Ops");
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("createUser" as const), n: user, department }),
  fc.record({ kind: fc.constant("updateUser" as const), n: user, displayName: fc.constantFrom("Ann", "Bob", "Cy", "Dee"), department: fc.option(department, { nil: null }) }),
  fc.record({ kind: fc.constant("setActive" as const), n: user, active: fc.boolean() }),
  fc.record({ kind: fc.constant("deleteUser" as const), n: user }),
  fc.record({ kind: fc.constant("createGroup" as const), g: group }),
  fc.record({ kind: fc.constant("deleteGroup" as const), g: group }),
  fc.record({ kind: fc.constant("addMember" as const), g: group, n: user }),
  fc.record({ kind: fc.constant("removeMember" as const), g: group, n: user }),
  fc.record({ kind: fc.constant("scope" as const), filter: fc.constantFrom(null, `${enterprise}:department eq "Sales"`, `${enterprise}:department ne "Ops"`) }),
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Run {
  readonly a: TestTenant;
  readonly b: TestTenant;
  readonly harness: OutboundHarness;
  readonly appId: string;
  /** Source ids of A's users and groups by their number. */
  readonly users: Map<number, string>;
  readonly groups: Map<number, string>;
}

/** Users created so far, for unique externalIds. */
let created = 0;

async function apply(run: Run, op: Operation): Promise<void> {
  const { a, users, groups } = run;
  switch (op.kind) {
    case "createUser": {
      if (users.has(op.n)) return;
      // A fresh externalId per creation tells a user deleted and created again under its old name from the first one.
      const externalId = `a-${op.n}-${++created}`;
      const response = await a.request("POST", "/Users", { body: userBody(`user${op.n}@a.example`, { externalId, displayName: `User ${op.n}`, [enterprise]: { department: op.department } }) });
      expect(response.status).toBe(201);
      users.set(op.n, response.body.id);
      return;
    }
    case "updateUser": {
      const id = users.get(op.n);
      if (!id) return;
      const operations = [{ op: "replace", path: "displayName", value: op.displayName }, op.department === null ? { op: "remove", path: `${enterprise}:department` } : { op: "replace", path: `${enterprise}:department`, value: op.department }];
      expect((await a.request("PATCH", `/Users/${id}`, { body: patchBody(...operations) })).status).toBeLessThan(300);
      return;
    }
    case "setActive": {
      const id = users.get(op.n);
      if (!id) return;
      expect((await a.request("PATCH", `/Users/${id}`, { body: patchBody({ op: "replace", path: "active", value: op.active }) })).status).toBeLessThan(300);
      return;
    }
    case "deleteUser": {
      const id = users.get(op.n);
      if (!id) return;
      expect((await a.request("DELETE", `/Users/${id}`)).status).toBe(204);
      users.delete(op.n);
      return;
    }
    case "createGroup": {
      if (groups.has(op.g)) return;
      const created = await a.request("POST", "/Groups", { body: groupBody(`Group ${op.g}`) });
      expect(created.status).toBe(201);
      groups.set(op.g, created.body.id);
      return;
    }
    case "deleteGroup": {
      const id = groups.get(op.g);
      if (!id) return;
      expect((await a.request("DELETE", `/Groups/${id}`)).status).toBe(204);
      groups.delete(op.g);
      return;
    }
    case "addMember":
    case "removeMember": {
      const groupId = groups.get(op.g);
      const userId = users.get(op.n);
      if (!groupId || !userId) return;
      const change = op.kind === "addMember" ? { op: "add", path: "members", value: [{ value: userId }] } : { op: "remove", path: `members[value eq "${userId}"]` };
      expect((await a.request("PATCH", `/Groups/${groupId}`, { body: patchBody(change) })).status).toBeLessThan(300);
      return;
    }
    case "scope": {
      await run.harness.store.write(async (s) => {
        const app = await s.outbound.getApp(a.record.id, run.appId);
        await s.outbound.updateApp(a.record.id, run.appId, { settings: { ...app!.settings, scopingFilter: op.filter } }, new Date().toISOString());
      });
      return;
    }
  }
}

/** What B should hold: A's users by userName (in scope: as in A; provisioned before, by externalId, but out of scope now: disabled), A's groups with their provisioned members. */
async function expected(run: Run, provisionedEver: Set<string>): Promise<{ users: Record<string, unknown>; groups: Record<string, string[]> }> {
  const app = await run.harness.store.read((s) => s.outbound.getApp(run.a.record.id, run.appId));
  const filter = app!.settings["scopingFilter"] as string | null | undefined;
  const list = async (path: string) => (await run.a.request("GET", `${path}?count=1000${path === "/Users" && filter ? `&filter=${encodeURIComponent(filter)}` : ""}`)).body.Resources as any[];
  const inScope = new Set((await list("/Users")).map((u) => u.id as string));
  const all = (await run.a.request("GET", "/Users?count=1000")).body.Resources as any[];
  const users: Record<string, unknown> = {};
  for (const u of all) {
    if (inScope.has(u.id)) users[u.userName] = { displayName: u.displayName ?? null, active: u.active ?? null, department: u[enterprise]?.department ?? null };
    else if (provisionedEver.has(u.externalId)) users[u.userName] = { displayName: "(kept)", active: false, department: "(kept)" };
  }
  const groups: Record<string, string[]> = {};
  for (const g of await list("/Groups")) {
    const members = ((g.members ?? []) as { value: string }[]).map((m) => all.find((u) => u.id === m.value)).filter((u) => u && inScope.has(u.id)).map((u) => u.userName as string);
    groups[g.displayName] = members.sort();
  }
  return { users, groups };
}

async function actual(run: Run, expectation: { users: Record<string, unknown> }): Promise<{ users: Record<string, unknown>; groups: Record<string, string[]> }> {
  const all = (await run.b.request("GET", "/Users?count=1000")).body.Resources as any[];
  const users: Record<string, unknown> = {};
  for (const u of all) {
    const kept = (expectation.users[u.userName] as { displayName?: string } | undefined)?.displayName === "(kept)";
    users[u.userName] = kept ? { displayName: "(kept)", active: u.active ?? null, department: "(kept)" } : { displayName: u.displayName ?? null, active: u.active ?? null, department: u[enterprise]?.department ?? null };
  }
  const groups: Record<string, string[]> = {};
  for (const g of (await run.b.request("GET", "/Groups?count=1000")).body.Resources as any[]) {
    groups[g.displayName] = ((g.members ?? []) as { value: string }[]).map((m) => all.find((u) => u.id === m.value)?.userName as string).sort();
  }
  return { users, groups };
}

describe("outbound convergence", () => {
  it("makes B the mapped projection of A's in-scope directory after any sequence of operations", async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 25 }), async (operations) => {
        round += 1;
        const a = await server.addTenant(`a${round}`);
        const b = await server.addTenant(`b${round}`);
        const harness = new OutboundHarness(server.store, a.record.id);
        const appId = `app-${round}`;
        await harness.createApp(b.baseUrl, b.token, { onDelete: "delete", onLeaveScope: "disable" }, appId);
        const run: Run = { a, b, harness, appId, users: new Map(), groups: new Map() };
        harness.start();
        const provisionedEver = new Set<string>();
        try {
          for (const op of operations) {
            await apply(run, op);
            // Remember who reached B (by externalId), so leaving the scope later means "disabled", not "absent".
            for (const u of ((await b.request("GET", "/Users?count=1000")).body.Resources ?? []) as any[]) provisionedEver.add(u.externalId);
          }
          let last: unknown;
          await harness.until(
            "convergence",
            async () => {
              for (const u of ((await b.request("GET", "/Users?count=1000")).body.Resources ?? []) as any[]) provisionedEver.add(u.externalId);
              const want = await expected(run, provisionedEver);
              const have = await actual(run, want);
              last = { want, have };
              return isDeepStrictEqual(want, have); // key order differs with the order B lists users in
            },
            20_000,
          ).catch((error: Error) => {
            throw new Error(`${error.message}\n${JSON.stringify(last, null, 1)}\noperations: ${JSON.stringify(operations)}`);
          });
          expect(harness.errors).toEqual([]);
        } finally {
          await harness.stop();
        }
      }),
      { numRuns: 6 },
    );
    // Six runs of up to 25 operations, each converging over real HTTP: seconds apiece on a loaded machine.
  }, 180_000);
});
