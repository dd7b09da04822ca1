import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ActivityOutcome, ActivityQuery, ActivityResource } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { ErrorMessage } from "../components/error-message";
import { RelativeTime } from "../components/relative-time";
import { SelectField } from "../components/select-field";
import { Badge } from "../components/status-badge";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useCursorPaging } from "../hooks/use-cursor-paging";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSearchParam } from "../hooks/use-search-param";
import { CursorPager } from "../components/cursor-pager";
import { useTenant } from "../hooks/use-tenant";

const pageSize = 50;
const outcomes: readonly ActivityOutcome[] = ["success", "failure"];
const resources: readonly ActivityResource[] = ["Users", "Groups", "Bulk", "Search", "Discovery", "Other"];

/** Every SCIM request the tenant received, newest first, filtered by outcome, client and resource. */
export function ActivityPage() {
  const tenant = useTenant();
  useDocumentTitle("Activity", tenant.name);
  const [outcome, setOutcome] = useSearchParam("outcome");
  const [client, setClient] = useSearchParam("client");
  const [resource, setResource] = useSearchParam("resource");
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: queryKeys.tokens(tenant.slug), queryFn: () => api.tokens(tenant.slug) });
  const filters: Omit<ActivityQuery, "cursor" | "count"> = {
    outcome: outcomes.find((candidate) => candidate === outcome),
    resource: resources.find((candidate) => candidate === resource),
    tokenId: client === "" ? undefined : client,
  };
  const paging = useCursorPaging(JSON.stringify(filters));
  const query: ActivityQuery = { ...filters, cursor: paging.cursor, count: pageSize };
  const activity = useQuery({ queryKey: queryKeys.activity(tenant.slug, query), queryFn: () => api.activity(tenant.slug, query), placeholderData: keepPreviousData });
  const page = activity.data;
  const filtered = Object.values(filters).some((value) => value !== undefined);
  const columns = 7;

  const refresh = () => {
    paging.reset();
    void queryClient.invalidateQueries({ queryKey: queryKeys.allActivity(tenant.slug) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.tokens(tenant.slug) });
  };

  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title" className="visually-hidden">
        Activity
      </h2>
      <div className="toolbar">
        <div className="filters" role="group" aria-label="Filters">
          <SelectField
            label="Outcome"
            value={filters.outcome ?? ""}
            onChange={setOutcome}
            options={[
              { value: "", label: "All" },
              { value: "success", label: "Success" },
              { value: "failure", label: "Failure" },
            ]}
          />
          <SelectField
            label="Client"
            value={client}
            onChange={setClient}
            options={[{ value: "", label: "All clients" }, ...(tokens.data ?? []).map((token) => ({ value: token.id, label: token.revokedAt ? `${token.clientName} (revoked)` : token.clientName }))]}
          />
          <SelectField
            label="Resource"
            value={filters.resource ?? ""}
            onChange={setResource}
            options={[{ value: "", label: "All" }, ...resources.map((name) => ({ value: name, label: name }))]}
          />
          <button type="button" className="button" onClick={refresh} disabled={activity.isFetching}>
            {activity.isFetching && !activity.isPending ? "Refreshing…" : "Refresh"}
          </button>
        </div>
        <CursorPager name="Activity pages" paging={paging} pageSize={pageSize} query={activity} />
      </div>
      {activity.isError && <ErrorMessage error={activity.error} onRetry={() => void activity.refetch()} />}
      <div className="table-frame">
        <table className="table table-activity" aria-busy={activity.isFetching}>
          <caption className="visually-hidden">SCIM requests, newest first</caption>
          <colgroup>
            <col className="col-time" />
            <col className="col-client" />
            <col className="col-method" />
            <col className="col-resource" />
            <col className="col-status" />
            <col className="col-code" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Client</th>
              <th scope="col">Method</th>
              <th scope="col">Resource</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="cell-number">
                Status
              </th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody className={activity.isPlaceholderData ? "table-stale" : undefined}>
            {activity.isPending && <SkeletonRows columns={columns} />}
            {page?.items.length === 0 && (
              <TableMessageRow columns={columns}>
                {filtered ? (
                  <p className="empty-title">No requests match these filters</p>
                ) : (
                  <>
                    <p className="empty-title">No SCIM requests yet</p>
                    <p>Requests appear here as soon as a client calls the tenant's SCIM base URL, including those refused for a bad or revoked token.</p>
                  </>
                )}
              </TableMessageRow>
            )}
            {page?.items.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <RelativeTime iso={entry.at} />
                </td>
                <td className="truncate" title={entry.clientName ?? "Unknown token"}>
                  {entry.clientName ?? <span className="muted">Unknown token</span>}
                </td>
                <td>
                  <code>{entry.method}</code>
                </td>
                <td className="truncate" title={`${entry.method} ${entry.path}`}>
                  {entry.resource}
                  <span className="cell-sub">{entry.path}</span>
                </td>
                <td>{entry.outcome === "success" ? <Badge tone="success">Success</Badge> : <Badge tone="danger">Failure</Badge>}</td>
                <td className="cell-number">
                  <code>{entry.status}</code>
                </td>
                <td className="cell-wrap">
                  {entry.errorCode && <code className="error-code">{entry.errorCode}</code>} {entry.errorDetail ?? (entry.errorCode ? null : <span className="muted">—</span>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
