import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import type { DirectoryQuery } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { ErrorMessage } from "../components/error-message";
import { RelativeTime } from "../components/relative-time";
import { SearchBox } from "../components/search-box";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useCursorPaging } from "../hooks/use-cursor-paging";
import { useDebouncedValue } from "../hooks/use-debounced-value";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSearchParam } from "../hooks/use-search-param";
import { CursorPager } from "../components/cursor-pager";
import { useTenant } from "../hooks/use-tenant";
import { clickRow } from "../lib/row-click";

const pageSize = 50;
const numbers = new Intl.NumberFormat();

/** The tenant's groups with their member counts: server-side search by name, 50 a page. */
export function GroupsPage() {
  const tenant = useTenant();
  useDocumentTitle("Groups", tenant.name);
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParam("q");
  const q = useDebouncedValue(search.trim(), 300);
  const paging = useCursorPaging(q);
  const query: DirectoryQuery = { q: q === "" ? undefined : q, cursor: paging.cursor, count: pageSize };
  const groups = useQuery({ queryKey: queryKeys.groups(tenant.slug, query), queryFn: () => api.groups(tenant.slug, query), placeholderData: keepPreviousData });
  const groupUrl = (id: string) => `/tenants/${encodeURIComponent(tenant.slug)}/groups/${encodeURIComponent(id)}`;
  const page = groups.data;
  const columns = 4;

  return (
    <section aria-labelledby="groups-title">
      <div className="toolbar">
        <h2 id="groups-title" className="visually-hidden">
          Groups
        </h2>
        <SearchBox label="Search groups" placeholder="Search by group name" value={search} onChange={setSearch} />
        <CursorPager name="Groups pages" paging={paging} pageSize={pageSize} query={groups} />
      </div>
      {groups.isError && <ErrorMessage error={groups.error} onRetry={() => void groups.refetch()} />}
      <div className="table-frame">
        <table className="table" aria-busy={groups.isFetching}>
          <caption className="visually-hidden">Groups</caption>
          <colgroup>
            <col />
            <col className="col-wide" />
            <col className="col-count" />
            <col className="col-time" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">External ID</th>
              <th scope="col" className="cell-number">
                Members
              </th>
              <th scope="col">Last modified</th>
            </tr>
          </thead>
          <tbody className={groups.isPlaceholderData ? "table-stale" : undefined}>
            {groups.isPending && <SkeletonRows columns={columns} />}
            {page?.items.length === 0 && (
              <TableMessageRow columns={columns}>
                {q === "" ? (
                  <>
                    <p className="empty-title">No groups yet</p>
                    <p>Groups appear here when an identity provider pushes them (Entra ID assignments, Okta Group Push).</p>
                  </>
                ) : (
                  <>
                    <p className="empty-title">No groups match “{q}”</p>
                    <p>The search looks in group names, ignoring case.</p>
                  </>
                )}
              </TableMessageRow>
            )}
            {page?.items.map((group) => (
              <tr key={group.id} className="row-link" onClick={(event) => clickRow(event, () => void navigate(groupUrl(group.id)))}>
                <td className="truncate" title={group.displayName}>
                  <Link to={groupUrl(group.id)}>{group.displayName}</Link>
                </td>
                <td className="truncate" title={group.externalId ?? undefined}>
                  {group.externalId ?? <span className="muted">—</span>}
                </td>
                <td className="cell-number">{numbers.format(group.memberCount)}</td>
                <td>
                  <RelativeTime iso={group.lastModified} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
