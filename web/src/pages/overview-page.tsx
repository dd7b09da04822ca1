import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { CopyField } from "../components/copy-field";
import { ErrorMessage } from "../components/error-message";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useTenant } from "../hooks/use-tenant";

const numbers = new Intl.NumberFormat();

/** A tenant at a glance: users, active users, groups, and SCIM requests and errors in the last 24 hours. */
export function OverviewPage() {
  const tenant = useTenant();
  useDocumentTitle("Overview", tenant.name);
  const stats = useQuery({ queryKey: queryKeys.stats(tenant.slug), queryFn: () => api.stats(tenant.slug), refetchInterval: 30_000 });
  const base = `/tenants/${encodeURIComponent(tenant.slug)}`;
  const data = stats.data;
  const value = (n: number | undefined) => (n === undefined ? <span className="skeleton skeleton-number" /> : numbers.format(n));

  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title" className="visually-hidden">
        Overview
      </h2>
      {stats.isError && <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />}
      <div className="stat-grid" aria-busy={stats.isPending}>
        <Link className="stat" to={`${base}/users`}>
          <span className="stat-label">Users</span>
          <span className="stat-value">{value(data?.users)}</span>
        </Link>
        <Link className="stat" to={`${base}/users`}>
          <span className="stat-label">Active users</span>
          <span className="stat-value">{value(data?.activeUsers)}</span>
          {data && data.users > 0 && <span className="stat-note">{numbers.format(data.users - data.activeUsers)} inactive</span>}
        </Link>
        <Link className="stat" to={`${base}/groups`}>
          <span className="stat-label">Groups</span>
          <span className="stat-value">{value(data?.groups)}</span>
        </Link>
        <Link className="stat" to={`${base}/activity`}>
          <span className="stat-label">SCIM requests, last 24 h</span>
          <span className="stat-value">{value(data?.requests24h)}</span>
        </Link>
        <Link className={data && data.errors24h > 0 ? "stat stat-alert" : "stat"} to={`${base}/activity?outcome=failure`}>
          <span className="stat-label">Errors, last 24 h</span>
          <span className="stat-value">{value(data?.errors24h)}</span>
          {data && data.requests24h > 0 && <span className="stat-note">{percent(data.errors24h, data.requests24h)} of requests</span>}
        </Link>
      </div>
      <div className="card overview-connect">
        <h3 className="card-title">SCIM base URL</h3>
        <CopyField label="SCIM base URL" hideLabel value={tenant.scimBaseUrl} what="SCIM base URL" />
        <p className="muted">
          Identity providers call this address with a token of this tenant. Create tokens and read the setup guides on the{" "}
          <Link to={`${base}/integration`}>SCIM Integration</Link> page.
          {data && ` Activity is kept for ${data.activityRetentionDays} ${data.activityRetentionDays === 1 ? "day" : "days"}.`}
        </p>
      </div>
    </section>
  );
}

function percent(part: number, whole: number): string {
  const share = (part / whole) * 100;
  return `${share > 0 && share < 0.1 ? "<0.1" : share.toFixed(share < 10 ? 1 : 0)}%`;
}
