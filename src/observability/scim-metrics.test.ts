import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parseExposition, valueOf } from "../../test/support/scrape.js";
import { ScimMetrics } from "./scim-metrics.js";

async function exposed(registry: Registry) {
  return parseExposition(await registry.metrics());
}

describe("ScimMetrics", () => {
  it("counts by resource, operation, outcome and catalogue error code, never an error text of its own", async () => {
    const registry = new Registry();
    const metrics = new ScimMetrics(registry, { tenantLabelLimit: 10 });
    const acme = { id: "t1", slug: "acme" };
    metrics.observe(acme, "Users", "create", 201, null);
    metrics.observe(acme, "Users", "create", 409, "uniqueness");
    metrics.observe(acme, "Users", "create", 409, "uniqueness");
    metrics.observe(acme, "Groups", "patch", 500, "internal");
    metrics.observe(acme, "Users", "list", 400, "a detail someone put here");
    metrics.observe(acme, "Users", "get", 404, null);
    const scrape = await exposed(registry);
    expect(valueOf(scrape, "muster_scim_requests_total", { resource: "Users", operation: "create", outcome: "success", error: "none" })).toBe(1);
    expect(valueOf(scrape, "muster_scim_requests_total", { resource: "Users", operation: "create", outcome: "client_error", error: "uniqueness" })).toBe(2);
    expect(valueOf(scrape, "muster_scim_requests_total", { resource: "Groups", operation: "patch", outcome: "server_error", error: "internal" })).toBe(1);
    expect(valueOf(scrape, "muster_scim_requests_total", { resource: "Users", operation: "list", outcome: "client_error", error: "unknown" })).toBe(1);
    expect(valueOf(scrape, "muster_scim_requests_total", { resource: "Users", operation: "get", outcome: "client_error", error: "unknown" })).toBe(1);
    expect(scrape.text).not.toContain("a detail");
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "acme", outcome: "success" })).toBe(1);
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "acme", outcome: "client_error" })).toBe(4);
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "acme", outcome: "server_error" })).toBe(1);
  });

  it("labels only the first tenants it sees by slug, later ones (other), and requests without a tenant (unknown)", async () => {
    const registry = new Registry();
    const metrics = new ScimMetrics(registry, { tenantLabelLimit: 2 });
    for (const n of [1, 2, 3, 4, 1, 3]) metrics.observe({ id: `t${n}`, slug: `tenant-${n}` }, "Users", "list", 200, null);
    metrics.observe(undefined, "Users", "list", 401, "unauthorized");
    metrics.rateLimited({ id: "t4", slug: "tenant-4" });
    metrics.rateLimited({ id: "t2", slug: "tenant-2" });
    const scrape = await exposed(registry);
    const tenants = new Set(scrape.families.muster_scim_tenant_requests_total!.data.map((sample) => sample.labels.tenant));
    expect([...tenants].sort()).toEqual(["(other)", "(unknown)", "tenant-1", "tenant-2"]);
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "tenant-1", outcome: "success" })).toBe(2);
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "(other)", outcome: "success" })).toBe(3);
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "(unknown)", outcome: "client_error" })).toBe(1);
    expect(valueOf(scrape, "muster_rate_limit_rejections_total", { tenant: "(other)" })).toBe(1);
    expect(valueOf(scrape, "muster_rate_limit_rejections_total", { tenant: "tenant-2" })).toBe(1);
  });

  it("labels no tenant at all with a limit of 0", async () => {
    const registry = new Registry();
    const metrics = new ScimMetrics(registry, { tenantLabelLimit: 0 });
    metrics.observe({ id: "t1", slug: "acme" }, "Bulk", "bulk", 200, null);
    const scrape = await exposed(registry);
    expect(scrape.text).not.toContain("acme");
    expect(valueOf(scrape, "muster_scim_tenant_requests_total", { tenant: "(other)", outcome: "success" })).toBe(1);
  });
});
