import { describe, expect, it } from "vitest";
import { nodesPerTest, waitFor, type MusterNode, type MusterNodes, type NodeAdmin } from "./support/muster-nodes.js";

/*
 * Tokens, their last-used times and the activity log with several nodes on one PostgreSQL database.
 * Each node caches token and tenant lookups for 5 seconds and buffers last-used times and activity
 * for a second (docs/deployment.md, "Several nodes behind a load balancer"): these tests hold the
 * nodes to those bounds.
 */

/** docs/deployment.md: a revoked token stops working on the other nodes within 5 seconds. */
const revocationBoundMs = 5_000;
/** docs/deployment.md: last-used times and activity entries are written every second. */
const flushMs = 1_000;
/** Room for a poll's own round trip and scheduling on a busy two-core machine. */
const marginMs = 1_500;

const startNodes = nodesPerTest();
const admin = { email: "ops@example.org", password: "multi-node test password" };

async function withAdmin(cluster: MusterNodes, node: MusterNode): Promise<NodeAdmin> {
  await cluster.cli(["admins", "create", admin.email, "--password-stdin"], `${admin.password}\n`);
  return cluster.signIn(node, admin.email, admin.password);
}

const probe = (node: MusterNode, slug: string, token: string) => node.scim(slug, token, "GET", "/Users?count=1");

/**
 * Polls `node` with `token` until it answers 401 and returns how many milliseconds after `since` that
 * first refused request was sent; only 200 is accepted meanwhile.
 */
async function refusalDelay(node: MusterNode, slug: string, token: string, since: number): Promise<number> {
  for (;;) {
    const elapsed = Date.now() - since;
    const answer = await probe(node, slug, token);
    if (answer.status === 401) return elapsed;
    expect(answer.status, `node ${node.name} before refusing`).toBe(200);
    if (elapsed > revocationBoundMs + marginMs) throw new Error(`node ${node.name} still accepts the revoked token after ${elapsed} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A token's last-used time as the admin API reports it. */
async function lastUsed(api: NodeAdmin, slug: string, tokenId: string): Promise<string | null> {
  const answer = await api.request("GET", `/tenants/${slug}/tokens`);
  expect(answer.status).toBe(200);
  const token = (answer.body as { id: string; lastUsedAt: string | null }[]).find((entry) => entry.id === tokenId);
  if (!token) throw new Error(`no token ${tokenId}`);
  return token.lastUsedAt;
}

/** Sends one SCIM request through `node` and returns the window in which the node must have stamped its use. */
async function useThrough(node: MusterNode, slug: string, token: string): Promise<{ from: number; to: number }> {
  const from = Date.now();
  expect((await probe(node, slug, token)).status).toBe(200);
  return { from, to: Date.now() };
}

describe("tokens with several nodes on one PostgreSQL database", () => {
  it("accepts a token made with muster tokens create on every node at once, and refuses it on all within 5 s of muster tokens revoke", async () => {
    const cluster = await startNodes(3);
    const { slug, token: first } = await cluster.tenant("acme");
    // The nodes know the tenant (and have it cached) before the new token exists.
    for (const node of cluster.nodes) expect((await probe(node, slug, first)).status).toBe(200);

    const issued = JSON.parse(await cluster.cli(["tokens", "create", "--tenant", slug, "--client", "Okta", "--json"])) as { id: string; token: string };
    for (const node of cluster.nodes) expect((await probe(node, slug, issued.token)).status, `first request through node ${node.name}`).toBe(200);

    await cluster.cli(["tokens", "revoke", issued.id, "--tenant", slug]);
    const revokedAt = Date.now();
    const delays = await Promise.all(cluster.nodes.map((node) => refusalDelay(node, slug, issued.token, revokedAt)));
    console.info(`muster tokens revoke reached nodes ${cluster.nodes.map((node, i) => `${node.name} after ${delays[i]} ms`).join(", ")}`);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(revocationBoundMs + marginMs);
    for (const node of cluster.nodes) {
      expect((await probe(node, slug, issued.token)).status, `node ${node.name} after refusing once`).toBe(401);
      expect((await probe(node, slug, first)).status, "the tenant's other token").toBe(200);
    }
  });

  it("accepts a token made through one node's admin API on the others at once; revoking it there refuses it on that node at once and on the others within 5 s", async () => {
    const cluster = await startNodes(3);
    const [a, b, c] = cluster.nodes as [MusterNode, MusterNode, MusterNode];
    const { slug, token: first } = await cluster.tenant("acme");
    for (const node of cluster.nodes) expect((await probe(node, slug, first)).status).toBe(200);
    const api = await withAdmin(cluster, a);

    const created = await api.request("POST", `/tenants/${slug}/tokens`, { clientName: "Microsoft Entra ID" });
    expect(created.status).toBe(201);
    const { token, summary } = created.body as { token: string; summary: { id: string } };
    for (const node of [b, c, a]) expect((await probe(node, slug, token)).status, `first request through node ${node.name}`).toBe(200);

    expect((await api.request("DELETE", `/tenants/${slug}/tokens/${summary.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    expect((await probe(a, slug, token)).status, "the node that revoked it").toBe(401);
    const delays = await Promise.all([b, c].map((node) => refusalDelay(node, slug, token, revokedAt)));
    console.info(`revocation through node A's admin API reached node B after ${delays[0]} ms, node C after ${delays[1]} ms`);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(revocationBoundMs + marginMs);
    const listed = await cluster.cli(["tokens", "list", "--tenant", slug, "--json"]);
    expect((JSON.parse(listed) as { id: string; revokedAt: string | null }[]).find((entry) => entry.id === summary.id)?.revokedAt).not.toBeNull();
  });

  it("serves a tenant created through one node's admin API on another node at once, even right after that node was asked for it", async () => {
    const cluster = await startNodes(2);
    const [a, b] = cluster.nodes as [MusterNode, MusterNode];
    const api = await withAdmin(cluster, a);
    // The identity provider's first Test Connection arrives through node B before the tenant exists.
    expect((await probe(b, "late", "mst_unknown_token")).status).toBe(401);
    expect((await api.request("POST", "/tenants", { slug: "late" })).status).toBe(201);
    const created = await api.request("POST", "/tenants/late/tokens", { clientName: "Microsoft Entra ID" });
    expect(created.status).toBe(201);
    expect((await probe(b, "late", (created.body as { token: string }).token)).status, "node B right after the tenant was created").toBe(200);
  });

  it("records uses through other nodes as the token's last-used time within the flush interval", async () => {
    const cluster = await startNodes(3);
    const [a, b, c] = cluster.nodes as [MusterNode, MusterNode, MusterNode];
    const { slug, token, tokenId } = await cluster.tenant("acme");
    const api = await withAdmin(cluster, a);
    expect(await lastUsed(api, slug, tokenId)).toBeNull();

    for (const node of [b, c]) {
      const window = await useThrough(node, slug, token);
      const stored = await waitFor(
        `node ${node.name}'s use to be stored`,
        async () => {
          const at = await lastUsed(api, slug, tokenId);
          return at !== null && Date.parse(at) >= window.from ? at : undefined;
        },
        flushMs + marginMs,
      );
      expect(Date.now() - window.to).toBeLessThanOrEqual(flushMs + marginMs);
      expect(Date.parse(stored)).toBeLessThanOrEqual(window.to);
    }
    const listed = JSON.parse(await cluster.cli(["tokens", "list", "--tenant", slug, "--json"])) as { id: string; lastUsedAt: string | null }[];
    expect(listed.find((entry) => entry.id === tokenId)?.lastUsedAt).toBe(await lastUsed(api, slug, tokenId));
  });

  it("keeps the later last-used time when a node that used the token earlier writes after one that used it later", async () => {
    const cluster = await startNodes(3);
    const [a, b, c] = cluster.nodes as [MusterNode, MusterNode, MusterNode];
    await cluster.tenant("acme");
    const api = await withAdmin(cluster, a);
    // C uses the token first and is frozen before its buffer is written; a round where C's flush timer
    // fired in between (stored time not null) proves nothing, so it is tried again with a new token.
    for (let round = 1; ; round++) {
      const issued = JSON.parse(await cluster.cli(["tokens", "create", "--tenant", "acme", "--client", `round ${round}`, "--json"])) as { id: string; token: string };
      const earlier = await useThrough(c, "acme", issued.token);
      c.pause();
      if ((await lastUsed(api, "acme", issued.id)) !== null) {
        c.resume();
        expect(round, "C wrote its use before it could be frozen in every round").toBeLessThan(5);
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      const later = await useThrough(b, "acme", issued.token);
      const fromB = await waitFor("node B's use to be stored", async () => (await lastUsed(api, "acme", issued.id)) ?? undefined, flushMs + marginMs);
      expect(Date.parse(fromB)).toBeGreaterThanOrEqual(later.from);

      c.resume();
      // Stopping C writes its buffer; its earlier use must not replace B's later one.
      expect(await c.stop()).toBe(0);
      const final = await lastUsed(api, "acme", issued.id);
      expect(final).toBe(fromB);
      expect(Date.parse(final!)).toBeGreaterThan(earlier.to);
      return;
    }
  });

  it("shows SCIM requests served by every node in the activity log", async () => {
    const cluster = await startNodes(3);
    const { slug, token, tokenId } = await cluster.tenant("acme");
    const api = await withAdmin(cluster, cluster.nodes[1]!);
    const paths = cluster.nodes.map((node) => `/Users/00000000-0000-4000-8000-00000000000${"ABC".indexOf(node.name)}`);
    for (const [i, node] of cluster.nodes.entries()) expect((await node.scim(slug, token, "GET", paths[i]!)).status).toBe(404);

    const entries = await waitFor(
      "every node's request in the activity log",
      async () => {
        const page = await api.request("GET", `/tenants/${slug}/activity`);
        const items = page.body.items as { path: string; status: number; tokenId: string | null }[];
        return paths.every((path) => items.some((item) => item.path === path)) ? items : undefined;
      },
      flushMs + marginMs + 1_000,
    );
    for (const path of paths) expect(entries.find((item) => item.path === path)).toMatchObject({ status: 404, tokenId });
  });
});
