import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { ApiRequestError } from "../api/api-client";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { DetailSkeleton } from "../components/detail-skeleton";
import { ErrorMessage } from "../components/error-message";
import { RawJson } from "../components/raw-json";
import { ResourceAttributes } from "../components/resource-attributes";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useCursorPaging } from "../hooks/use-cursor-paging";
import { useDocumentTitle } from "../hooks/use-document-title";
import { CursorPager } from "../components/cursor-pager";
import { useTenant } from "../hooks/use-tenant";
import { describeResource } from "../lib/resource-view";

const pageSize = 50;
const numbers = new Intl.NumberFormat();

/** One group: its attributes, its members 50 at a time (linking to them) and the raw SCIM JSON. */
export function GroupDetailPage() {
  const tenant = useTenant();
  const { groupId = "" } = useParams();
  const group = useQuery({ queryKey: queryKeys.group(tenant.slug, groupId), queryFn: () => api.group(tenant.slug, groupId) });
  const resource = group.data?.resource;
  const displayName = typeof resource?.displayName === "string" ? resource.displayName : null;
  useDocumentTitle(displayName ?? "Group", tenant.name);
  const sections = useMemo(() => (resource ? describeResource(resource) : []), [resource]);
  const base = `/tenants/${encodeURIComponent(tenant.slug)}`;

  return (
    <div className="detail">
      <p className="back-link">
        <Link to={`${base}/groups`}>← Groups</Link>
      </p>
      {group.isError &&
        (group.error instanceof ApiRequestError && group.error.code === "not_found" ? (
          <div className="alert alert-warning" role="alert">
            <p className="alert-title">This group does not exist</p>
            <p>It may have been deleted by the identity provider.</p>
          </div>
        ) : (
          <ErrorMessage error={group.error} onRetry={() => void group.refetch()} />
        ))}
      {group.isPending && <DetailSkeleton />}
      {group.data && resource && (
        <>
          <div className="detail-header">
            <h2 className="page-title">{displayName ?? String(resource.id)}</h2>
            <span className="muted">
              {numbers.format(group.data.memberCount)} {group.data.memberCount === 1 ? "member" : "members"}
            </span>
          </div>
          <div className="detail-grid detail-grid-even">
            <div className="detail-main">
              <ResourceAttributes sections={sections} />
            </div>
            <Members tenantSlug={tenant.slug} groupId={groupId} />
          </div>
          <RawJson value={resource} title="Raw SCIM JSON (without members)" />
        </>
      )}
    </div>
  );
}

function Members({ tenantSlug, groupId }: { readonly tenantSlug: string; readonly groupId: string }) {
  const paging = useCursorPaging(groupId);
  const members = useQuery({
    queryKey: queryKeys.members(tenantSlug, groupId, paging.cursor),
    queryFn: () => api.members(tenantSlug, groupId, { cursor: paging.cursor, count: pageSize }),
    placeholderData: keepPreviousData,
  });
  const page = members.data;
  const base = `/tenants/${encodeURIComponent(tenantSlug)}`;
  const columns = 2;
  return (
    <section className="detail-side" aria-labelledby="members-title">
      <div className="section-header">
        <h3 id="members-title" className="section-title">
          Members
        </h3>
        <CursorPager name="Members pages" paging={paging} pageSize={pageSize} query={members} />
      </div>
      {members.isError && <ErrorMessage error={members.error} onRetry={() => void members.refetch()} />}
      <div className="table-frame">
        <table className="table" aria-busy={members.isFetching}>
          <caption className="visually-hidden">Members</caption>
          <colgroup>
            <col />
            <col className="col-status" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody className={members.isPlaceholderData ? "table-stale" : undefined}>
            {members.isPending && <SkeletonRows columns={columns} rows={6} />}
            {page?.items.length === 0 && (
              <TableMessageRow columns={columns}>
                <p>This group has no members.</p>
              </TableMessageRow>
            )}
            {page?.items.map((member) => {
              const to = `${base}/${member.type === "User" ? "users" : "groups"}/${encodeURIComponent(member.id)}`;
              return (
                <tr key={`${member.type}:${member.id}`}>
                  <td className="truncate" title={member.display ?? member.id}>
                    <Link to={to}>{member.display ?? member.id}</Link>
                  </td>
                  <td>{member.type}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
