import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { ApiRequestError } from "../api/api-client";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { DetailSkeleton } from "../components/detail-skeleton";
import { ErrorMessage } from "../components/error-message";
import { RawJson } from "../components/raw-json";
import { ResourceAttributes } from "../components/resource-attributes";
import { Badge } from "../components/status-badge";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useTenant } from "../hooks/use-tenant";
import { describeResource } from "../lib/resource-view";

/** One user: every attribute, its groups and the raw SCIM JSON. */
export function UserDetailPage() {
  const tenant = useTenant();
  const { userId = "" } = useParams();
  const user = useQuery({ queryKey: queryKeys.user(tenant.slug, userId), queryFn: () => api.user(tenant.slug, userId) });
  const resource = user.data?.resource;
  const userName = typeof resource?.userName === "string" ? resource.userName : null;
  useDocumentTitle(userName ?? "User", tenant.name);
  const sections = useMemo(() => (resource ? describeResource(resource) : []), [resource]);
  const base = `/tenants/${encodeURIComponent(tenant.slug)}`;

  return (
    <div className="detail">
      <p className="back-link">
        <Link to={`${base}/users`}>← Users</Link>
      </p>
      {user.isError &&
        (user.error instanceof ApiRequestError && user.error.code === "not_found" ? (
          <div className="alert alert-warning" role="alert">
            <p className="alert-title">This user does not exist</p>
            <p>It may have been deleted by the identity provider.</p>
          </div>
        ) : (
          <ErrorMessage error={user.error} onRetry={() => void user.refetch()} />
        ))}
      {user.isPending && <DetailSkeleton />}
      {user.data && resource && (
        <>
          <div className="detail-header">
            <h2 className="page-title">{userName ?? String(resource.id)}</h2>
            {resource.active === false ? <Badge tone="neutral">Inactive</Badge> : <Badge tone="success">Active</Badge>}
          </div>
          <div className="detail-grid">
            <div className="detail-main">
              <ResourceAttributes sections={sections} />
            </div>
            <aside className="detail-side">
              <section className="card" aria-labelledby="user-groups-title">
                <h3 id="user-groups-title" className="card-title">
                  Groups ({user.data.groups.length})
                </h3>
                {user.data.groups.length === 0 ? (
                  <p className="muted">Not a member of any group.</p>
                ) : (
                  <ul className="link-list">
                    {user.data.groups.map((group) => (
                      <li key={group.id}>
                        <Link to={`${base}/groups/${encodeURIComponent(group.id)}`}>{group.displayName}</Link>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </aside>
          </div>
          <RawJson value={resource} title="Raw SCIM JSON" />
        </>
      )}
    </div>
  );
}
