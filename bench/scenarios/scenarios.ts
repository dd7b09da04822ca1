import { coreGroupUrn, emailPart, userBody, userFacts } from "../dataset/generate-user.js";
import type { SampleUser, TenantManifest } from "../dataset/manifest.js";
import type { SeededRandom } from "../random.js";
import { entraMemberPatch, entraUserPatch, filterQuery, oktaUserReplace } from "./request-bodies.js";

/** One HTTP request of a load run; the same request goes to Muster and to the ceiling. */
export interface BenchRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH";
  /** Path and query under the server's origin. */
  readonly path: string;
  readonly body?: string;
}

/** What request builders draw from. */
export interface RequestContext {
  readonly manifest: TenantManifest;
  /** `/scim/v2/<tenant>`. */
  readonly basePath: string;
  readonly rng: SeededRandom;
  /** First user index this run may create: unique per run so POSTs never collide. */
  readonly firstNewIndex: number;
}

/** A load scenario: a request shape driven at several connection counts for a bounded time. */
export interface Scenario {
  readonly id: string;
  /** The request as a reader recognises it. */
  readonly title: string;
  readonly connections: readonly number[];
  /** Statuses a correct answer has; anything else counts as an error. */
  readonly expected: readonly number[];
  /** Returns the generator of this run's requests (called once per request). */
  requests(context: RequestContext): () => BenchRequest;
}

/** Users whose index is past every generated and created one: never there. */
const missingIndexBase = 2_000_000_000;

function quarter(users: readonly SampleUser[], part: number): readonly SampleUser[] {
  const size = Math.max(1, Math.floor(users.length / 4));
  return users.slice(part * size, Math.min(users.length, (part + 1) * size));
}

function json(body: unknown): string {
  return JSON.stringify(body);
}

/** Alternating add and remove of non-members, so the group's size stays where it was. */
function memberChanges(groupId: string, pool: readonly SampleUser[], basePath: string): () => BenchRequest {
  if (pool.length === 0) throw new Error("no users outside the group to add");
  let counter = 0;
  return () => {
    const user = pool[Math.floor(counter / 2) % pool.length]!;
    const op = counter % 2 === 0 ? "Add" : "Remove";
    counter += 1;
    return { method: "PATCH", path: `${basePath}/Groups/${groupId}`, body: json(entraMemberPatch(op, user.id)) };
  };
}

/** Every load scenario of issue 6, in the order they run. */
export const scenarios: readonly Scenario[] = [
  {
    id: "users-lookup",
    title: 'GET /Users?filter=userName eq "…" (half existing, half missing)',
    connections: [1, 16, 64],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => () => {
      const userName = rng.next() < 0.5 ? rng.pick(manifest.users).userName : userFacts(manifest.plan, missingIndexBase + rng.int(1_000_000)).userName;
      return { method: "GET", path: `${basePath}/Users?${filterQuery(`userName eq "${userName}"`)}` };
    },
  },
  {
    id: "users-get",
    title: "GET /Users/{id}",
    connections: [1, 16, 64],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => () => ({ method: "GET", path: `${basePath}/Users/${rng.pick(manifest.users).id}` }),
  },
  {
    id: "groups-lookup",
    title: 'GET /Groups?filter=displayName eq "…"&excludedAttributes=members',
    connections: [1, 16],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => () => {
      const name = rng.next() < 0.5 ? rng.pick(manifest.groups).displayName : `Missing Group ${rng.int(1_000_000)}`;
      return { method: "GET", path: `${basePath}/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${name}"`)}` };
    },
  },
  {
    id: "users-create",
    title: "POST /Users (new users, enterprise attributes, manager)",
    connections: [1, 16],
    expected: [201],
    requests: ({ manifest, basePath, rng, firstNewIndex }) => {
      let next = firstNewIndex;
      return () => ({ method: "POST", path: `${basePath}/Users`, body: json(userBody(manifest.plan, next++, rng.pick(manifest.users).id)) });
    },
  },
  {
    id: "users-patch",
    title: "PATCH /Users/{id} (Entra: Replace of 3 attributes)",
    connections: [1, 16],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => {
      const users = quarter(manifest.users, 0);
      return () => ({ method: "PATCH", path: `${basePath}/Users/${rng.pick(users).id}`, body: json(entraUserPatch(rng)) });
    },
  },
  {
    id: "users-replace",
    title: "PUT /Users/{id} (Okta: whole user)",
    connections: [1, 16],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => {
      const users = quarter(manifest.users, 1);
      return () => {
        const user = rng.pick(users);
        return { method: "PUT", path: `${basePath}/Users/${user.id}`, body: json(oktaUserReplace(manifest.plan, user.index, rng)) };
      };
    },
  },
  {
    id: "big-group-members",
    title: "PATCH /Groups/{id} add/remove 1 member, big group",
    connections: [1, 16],
    expected: [204],
    requests: ({ manifest, basePath }) => memberChanges(manifest.bigGroup.id, manifest.users.filter((user) => user.index >= manifest.plan.bigGroupSize), basePath),
  },
  {
    id: "small-group-members",
    title: "PATCH /Groups/{id} add/remove 1 member, 10-member group",
    connections: [1, 16],
    expected: [204],
    requests: ({ manifest, basePath }) => {
      const members = new Set(manifest.smallGroup.memberIds);
      return memberChanges(manifest.smallGroup.id, manifest.users.filter((user) => !members.has(user.id)), basePath);
    },
  },
  {
    id: "big-group-get-excluded",
    title: "GET /Groups/{id}?excludedAttributes=members, big group",
    connections: [1, 16],
    expected: [200],
    requests: ({ manifest, basePath }) => () => ({ method: "GET", path: `${basePath}/Groups/${manifest.bigGroup.id}?excludedAttributes=members` }),
  },
  {
    id: "big-group-get-members",
    title: "GET /Groups/{id} with members, big group",
    connections: [1, 4],
    expected: [200],
    requests: ({ manifest, basePath }) => () => ({ method: "GET", path: `${basePath}/Groups/${manifest.bigGroup.id}` }),
  },
  {
    id: "filter-work-email",
    title: 'GET /Users?filter=emails[type eq "work"].value eq "…"',
    connections: [1, 16],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => () => ({ method: "GET", path: `${basePath}/Users?${filterQuery(`emails[type eq "work"].value eq "${rng.pick(manifest.users).workEmail}"`)}` }),
  },
  {
    id: "filter-family-sw",
    title: 'GET /Users?filter=name.familyName sw "…" (3 letters, first 100)',
    // A scan of every user per request: at 16 connections a run would only measure the queue.
    connections: [1, 4],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => () => ({ method: "GET", path: `${basePath}/Users?${filterQuery(`name.familyName sw "${[...rng.pick(manifest.users).familyName].slice(0, 3).join("")}"`)}` }),
  },
  {
    id: "filter-username-co",
    title: 'GET /Users?filter=userName co "…" (name and number)',
    connections: [1, 4],
    expected: [200],
    requests: ({ manifest, basePath, rng }) => () => {
      const user = rng.pick(manifest.users);
      return { method: "GET", path: `${basePath}/Users?${filterQuery(`userName co "${emailPart(user.familyName)}.${user.index}@"`)}` };
    },
  },
];

/** The scenario with this id. */
export function scenarioById(id: string): Scenario {
  const scenario = scenarios.find((candidate) => candidate.id === id);
  if (!scenario) throw new Error(`unknown scenario "${id}"`);
  return scenario;
}

/** The body of a group the Entra replay creates. */
export function replayGroupBody(displayName: string, externalId: string): Record<string, unknown> {
  return { schemas: [coreGroupUrn], displayName, externalId };
}

/** The list requests of the scenarios and of paging, with one concrete target each (for --explain). */
export function listRequestsToExplain(manifest: TenantManifest): { label: string; query: Record<string, string> }[] {
  const user = manifest.users[0];
  if (!user) return [];
  return [
    { label: "users-lookup", query: { filter: `userName eq "${user.userName}"` } },
    { label: "filter-work-email", query: { filter: `emails[type eq "work"].value eq "${user.workEmail}"` } },
    { label: "filter-family-sw", query: { filter: `name.familyName sw "${[...user.familyName].slice(0, 3).join("")}"` } },
    { label: "filter-username-co", query: { filter: `userName co "${emailPart(user.familyName)}.${user.index}@"` } },
    { label: "paging by index, middle page", query: { startIndex: String(Math.floor(manifest.plan.users / 2) + 1), count: "1000" } },
    { label: "paging by cursor, first page", query: { cursor: "", count: "1000" } },
  ];
}
