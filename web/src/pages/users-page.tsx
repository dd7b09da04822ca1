import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import type { DirectoryQuery } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { ErrorMessage } from "../components/error-message";
import { RelativeTime } from "../components/relative-time";
import { SearchBox } from "../components/search-box";
import { Badge } from "../components/status-badge";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useCursorPaging } from "../hooks/use-cursor-paging";
import { useDebouncedValue } from "../hooks/use-debounced-value";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSearchParam } from "../hooks/use-search-param";
import { CursorPager } from "../components/cursor-pager";
import { useTenant } from "../hooks/use-tenant";
import { clickRow } from "../lib/row-click";

const pageSize = 50;

/** The tenant's users: server-side search, 50 a page, newest changes first. */
export function UsersPage() {
  const tenant = useTenant();
  useDocumentTitle("Users", tenant.name);
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParam("q");
  const q = useDebouncedValue(search.trim(), 300);
  const paging = useCursorPaging(q);
  const query: DirectoryQuery = { q: q === "" ? undefined : q, cursor: paging.cursor, count: pageSize };
  const users = useQuery({ queryKey: queryKeys.users(tenant.slug, query), queryFn: () => api.users(tenant.slug, query), placeholderData: keepPreviousData });
  const userUrl = (id: string) => `/tenants/${encodeURIComponent(tenant.slug)}/users/${encodeURIComponent(id)}`;
  const page = users.data;
  const columns = 5;

  return (
    <section aria-labelledby="users-title">
      <div className="toolbar">
        <h2 id="users-title" className="visually-hidden">
          Users
        </h2>
        <SearchBox label="Search users" placeholder="Search by name, email or userName" value={search} onChange={setSearch} />
        <CursorPager name="Users pages" paging={paging} pageSize={pageSize} query={users} />
      </div>
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      <div className="table-frame">
        <table className="table" aria-busy={users.isFetching}>
          <caption className="visually-hidden">Users</caption>
          <colgroup>
            <col className="col-wide" />
            <col />
            <col className="col-wide" />
            <col className="col-status" />
            <col className="col-time" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">userName</th>
              <th scope="col">Active</th>
              <th scope="col">Last modified</th>
            </tr>
          </thead>
          <tbody className={users.isPlaceholderData ? "table-stale" : undefined}>
            {users.isPending && <SkeletonRows columns={columns} />}
            {page?.items.length === 0 && (
              <TableMessageRow columns={columns}>
                {q === "" ? (
                  <>
                    <p className="empty-title">No users yet</p>
                    <p>Users appear here when an identity provider provisions them with a token from the SCIM Integration page.</p>
                  </>
                ) : (
                  <>
                    <p className="empty-title">No users match “{q}”</p>
                    <p>The search looks in userName, names and email addresses, ignoring case.</p>
                  </>
                )}
              </TableMessageRow>
            )}
            {page?.items.map((user) => (
              <tr key={user.id} className="row-link" onClick={(event) => clickRow(event, () => void navigate(userUrl(user.id)))}>
                <td className="truncate" title={user.email ?? undefined}>
                  <Link to={userUrl(user.id)} aria-label={user.email ? undefined : `${user.userName} (no email)`}>
                    {user.email ?? <span className="muted">No email</span>}
                  </Link>
                </td>
                <td className="truncate" title={user.name ?? undefined}>
                  {user.name ?? <span className="muted">—</span>}
                </td>
                <td className="truncate" title={user.userName}>
                  {user.userName}
                </td>
                <td>{user.active ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Inactive</Badge>}</td>
                <td>
                  <RelativeTime iso={user.lastModified} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
