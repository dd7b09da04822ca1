import type { Registry } from "prom-client";
import { errorCatalogue } from "../scim/errors.js";
import type { ActivityResource } from "../store/store.js";
import { BoundCounter, type CounterSeries } from "./bound-series.js";

/** What a SCIM request did, as the SCIM metrics count it. */
export type ScimOperation = "create" | "get" | "list" | "replace" | "patch" | "delete" | "search" | "bulk" | "discovery" | "other";

const resources: readonly ActivityResource[] = ["Users", "Groups", "Bulk", "Search", "Discovery", "Other"];
const operations: readonly ScimOperation[] = ["create", "get", "list", "replace", "patch", "delete", "search", "bulk", "discovery", "other"];
const resourceIndex = Object.fromEntries(resources.map((resource, index) => [resource, index])) as Record<ActivityResource, number>;
const operationIndex = Object.fromEntries(operations.map((operation, index) => [operation, index])) as Record<ScimOperation, number>;

/** The label of requests to tenants beyond the labelled ones; parentheses cannot occur in a slug. */
export const otherTenant = "(other)";
/** The label of requests whose URL named no existing tenant (all 401s). */
export const unknownTenant = "(unknown)";

/** One tenant label's series. */
interface TenantSeries {
  readonly success: CounterSeries;
  readonly clientError: CounterSeries;
  readonly serverError: CounterSeries;
  readonly rateLimited: CounterSeries;
}

/** The series of one resource and operation: successes, and failures by error code. */
interface OperationSeries {
  readonly resource: ActivityResource;
  readonly operation: ScimOperation;
  readonly success: CounterSeries;
  readonly failures: Map<string, CounterSeries>;
}

/** A tenant as the metrics see it. */
export interface TenantRef {
  readonly id: string;
  readonly slug: string;
}

/**
 * SCIM requests by resource, operation, outcome and error code (all from fixed sets: the error label
 * is a code of the catalogue in scim/errors.ts), by tenant and outcome, and rate-limit rejections by
 * tenant. Only the first `tenantLabelLimit` tenants this process sees get their slug as a label;
 * requests to later ones count under "(other)", so a server with thousands of tenants cannot grow
 * thousands of series. Series are bound once and reused, so counting a request allocates nothing.
 */
export class ScimMetrics {
  private readonly requests: BoundCounter;
  private readonly tenantRequests: BoundCounter;
  private readonly rejections: BoundCounter;
  private readonly tenantLabelLimit: number;
  private readonly operationSeries: (OperationSeries | undefined)[] = [];
  private readonly tenants = new Map<string, TenantSeries>();
  private readonly other: TenantSeries;
  private readonly unknown: TenantSeries;

  constructor(registry: Registry, options: { readonly tenantLabelLimit: number }) {
    this.requests = new BoundCounter(registry, {
      name: "muster_scim_requests_total",
      help: "SCIM requests by resource (Users, Groups, Bulk, Search, Discovery, Other), operation, outcome (success, client_error, server_error) and error (the error catalogue's scimType or code; none on success).",
      labelNames: ["resource", "operation", "outcome", "error"],
    });
    this.tenantRequests = new BoundCounter(registry, {
      name: "muster_scim_tenant_requests_total",
      help: `SCIM requests by tenant and outcome; the first ${options.tenantLabelLimit} tenants seen are labelled by slug, later ones "${otherTenant}", unknown tenant slugs "${unknownTenant}".`,
      labelNames: ["tenant", "outcome"],
    });
    this.rejections = new BoundCounter(registry, {
      name: "muster_rate_limit_rejections_total",
      help: "SCIM requests refused with 429 because their token exceeded MUSTER_RATE_LIMIT, by tenant (labelled as in muster_scim_tenant_requests_total).",
      labelNames: ["tenant"],
    });
    this.tenantLabelLimit = options.tenantLabelLimit;
    this.other = this.tenantSeries(otherTenant);
    this.unknown = this.tenantSeries(unknownTenant);
  }

  /** Counts one finished SCIM request; `errorCode` is the failure's scimType or catalogue code (null on success). */
  observe(tenant: TenantRef | undefined, resource: ActivityResource, operation: ScimOperation, status: number, errorCode: string | null): void {
    const index = resourceIndex[resource] * operations.length + operationIndex[operation];
    const series = this.operationSeries[index] ?? this.bindOperation(index, resource, operation);
    const perTenant = this.seriesOf(tenant);
    if (status < 400) {
      series.success.inc();
      perTenant.success.inc();
      return;
    }
    const error = errorCode !== null && Object.hasOwn(errorCatalogue, errorCode) ? errorCode : "unknown";
    const outcome = status < 500 ? "client_error" : "server_error";
    const key = status < 500 ? error : `5:${error}`;
    let failure = series.failures.get(key);
    if (!failure) {
      failure = this.requests.bind({ resource: series.resource, operation: series.operation, outcome, error });
      series.failures.set(key, failure);
    }
    failure.inc();
    (status < 500 ? perTenant.clientError : perTenant.serverError).inc();
  }

  /** Counts a request refused by the rate limit. */
  rateLimited(tenant: TenantRef | undefined): void {
    this.seriesOf(tenant).rateLimited.inc();
  }

  private seriesOf(tenant: TenantRef | undefined): TenantSeries {
    if (!tenant) return this.unknown;
    const known = this.tenants.get(tenant.id);
    if (known) return known;
    if (this.tenants.size >= this.tenantLabelLimit) return this.other;
    const series = this.tenantSeries(tenant.slug);
    this.tenants.set(tenant.id, series);
    return series;
  }

  private tenantSeries(tenant: string): TenantSeries {
    return {
      success: this.tenantRequests.bind({ tenant, outcome: "success" }),
      clientError: this.tenantRequests.bind({ tenant, outcome: "client_error" }),
      serverError: this.tenantRequests.bind({ tenant, outcome: "server_error" }),
      rateLimited: this.rejections.bind({ tenant }),
    };
  }

  private bindOperation(index: number, resource: ActivityResource, operation: ScimOperation): OperationSeries {
    const series: OperationSeries = { resource, operation, success: this.requests.bind({ resource, operation, outcome: "success", error: "none" }), failures: new Map() };
    this.operationSeries[index] = series;
    return series;
  }
}
