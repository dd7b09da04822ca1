import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, NavLink, Outlet, useParams } from "react-router";
import type { Tenant } from "../../../shared/admin-api";
import { ApiRequestError } from "../api/api-client";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { ErrorMessage } from "../components/error-message";
import { SkeletonRows } from "../components/table-parts";

const tabs = [
  { to: "", label: "Overview", end: true },
  { to: "integration", label: "SCIM Integration", end: false },
  { to: "users", label: "Users", end: false },
  { to: "groups", label: "Groups", end: false },
  { to: "activity", label: "Activity", end: false },
  { to: "settings", label: "Settings", end: false },
] as const;

/** What the pages inside a tenant get from its layout (react-router outlet context). */
export interface TenantContext {
  readonly tenant: Tenant;
}

/** A tenant's frame: its name, slug and the tabs of its pages. */
export function TenantLayout() {
  const { slug = "" } = useParams();
  const queryClient = useQueryClient();
  const tenant = useQuery({
    queryKey: queryKeys.tenantDetails(slug),
    queryFn: () => api.tenant(slug),
    // Coming from the Tenants list, the tenant is already known: show its pages at once.
    initialData: () => queryClient.getQueryData<Tenant[]>(queryKeys.tenants)?.find((candidate) => candidate.slug === slug),
    initialDataUpdatedAt: () => queryClient.getQueryState(queryKeys.tenants)?.dataUpdatedAt,
  });
  const base = `/tenants/${encodeURIComponent(slug)}`;

  if (tenant.isError && tenant.error instanceof ApiRequestError && tenant.error.code === "not_found") {
    return (
      <div className="page">
        <div className="alert alert-warning" role="alert">
          <p className="alert-title">There is no tenant “{slug}”</p>
          <p>
            It may have been deleted. <Link to="/tenants">See all tenants</Link>.
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/tenants">Tenants</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{tenant.data?.name ?? slug}</span>
      </nav>
      <div className="tenant-header">
        <h1 className="page-title">{tenant.data ? tenant.data.name : <span className="skeleton skeleton-title" aria-label="Loading" />}</h1>
        <code className="tenant-slug">{slug}</code>
      </div>
      <nav className="tabs" aria-label="Tenant">
        {tabs.map((tab) => (
          <NavLink key={tab.label} to={tab.to === "" ? base : `${base}/${tab.to}`} end={tab.end} className="tab">
            {tab.label}
          </NavLink>
        ))}
      </nav>
      {tenant.isError && <ErrorMessage error={tenant.error} onRetry={() => void tenant.refetch()} />}
      {tenant.isPending && (
        <div className="table-frame" aria-busy="true">
          <table className="table">
            <tbody>
              <SkeletonRows columns={4} rows={6} />
            </tbody>
          </table>
        </div>
      )}
      {tenant.data && <Outlet context={{ tenant: tenant.data } satisfies TenantContext} />}
    </div>
  );
}
