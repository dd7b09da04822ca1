import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useId, useState } from "react";
import { auditActions, auditAreas, type AuditEvent, type AuditOutcome, type AuditQuery } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { CursorPager } from "../components/cursor-pager";
import { ErrorMessage } from "../components/error-message";
import { PageHeader } from "../components/page-header";
import { RelativeTime } from "../components/relative-time";
import { SearchBox } from "../components/search-box";
import { SelectField } from "../components/select-field";
import { Badge } from "../components/status-badge";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useCursorPaging } from "../hooks/use-cursor-paging";
import { useDebouncedValue } from "../hooks/use-debounced-value";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSearchParam } from "../hooks/use-search-param";
import { actionWords, actorWords, dayAfter, dayStart, targetWords } from "../lib/audit-words";
import { clickRow } from "../lib/row-click";
import { formatAbsoluteTime } from "../lib/time-format";

const pageSize = 50;
const outcomes: readonly AuditOutcome[] = ["success", "failure"];
const columns = 7;

/** The action filter's choices: everything, each area as a whole, then each action of it. */
const actionOptions = [
  { value: "", label: "All actions" },
  ...Object.entries(auditAreas).flatMap(([area, words]) => [
    { value: `${area}.*`, label: `${words}: all` },
    ...Object.keys(auditActions)
      .filter((action) => action.startsWith(`${area}.`))
      .map((action) => ({ value: action, label: `${words}: ${actionWords(action)}` })),
  ]),
];

/** Every administrative action of the installation, newest first: filters, paging, details, export. */
export function AuditPage() {
  useDocumentTitle("Audit log");
  const [action, setAction] = useSearchParam("action");
  const [outcome, setOutcome] = useSearchParam("outcome");
  const [tenant, setTenant] = useSearchParam("tenant");
  const [actor, setActor] = useSearchParam("actor");
  const [firstDay, setFirstDay] = useSearchParam("since");
  const [lastDay, setLastDay] = useSearchParam("until");
  const [search, setSearch] = useSearchParam("q");
  const settledActor = useDebouncedValue(actor.trim(), 300);
  const settledSearch = useDebouncedValue(search.trim(), 300);
  const tenants = useQuery({ queryKey: queryKeys.tenants, queryFn: api.tenants });
  const queryClient = useQueryClient();
  const [expanded, setExpanded] = useState<string | null>(null);

  const filters: Omit<AuditQuery, "cursor" | "count"> = {
    action: actionOptions.some((option) => option.value === action && action !== "") ? action : undefined,
    outcome: outcomes.find((candidate) => candidate === outcome),
    tenant: tenant === "" ? undefined : tenant,
    actor: settledActor === "" ? undefined : settledActor,
    since: dayStart(firstDay) || undefined,
    until: dayAfter(lastDay) || undefined,
    q: settledSearch === "" ? undefined : settledSearch,
  };
  const paging = useCursorPaging(JSON.stringify(filters));
  const query: AuditQuery = { ...filters, cursor: paging.cursor, count: pageSize };
  const events = useQuery({ queryKey: queryKeys.audit(query), queryFn: () => api.audit(query), placeholderData: keepPreviousData, staleTime: 0 });
  const page = events.data;
  const filtered = Object.values(filters).some((value) => value !== undefined);
  // A deleted tenant's events stay: keep its slug selectable when a link or the URL names it.
  const tenantSlugs = [...new Set([...(tenants.data ?? []).map((candidate) => candidate.slug), ...(tenant === "" ? [] : [tenant])])].sort();

  const refresh = () => {
    paging.reset();
    void queryClient.invalidateQueries({ queryKey: queryKeys.allAudit });
  };

  return (
    <div className="page">
      <PageHeader
        title="Audit log"
        description="Every administrative action: who did it, when, from which address, and how it ended, including failed sign-ins and commands run on the server. Secrets are never recorded."
        actions={
          <>
            <a className="button" href={api.auditExportUrl("csv", filters)} download>
              Export CSV
            </a>
            <a className="button" href={api.auditExportUrl("json", filters)} download>
              Export JSON
            </a>
          </>
        }
      />
      <div className="toolbar toolbar-stacked">
        <div className="filters" role="group" aria-label="Filters">
          <SearchBox label="Search the audit log" placeholder="Actor, target or tenant starts with…" value={search} onChange={setSearch} />
          <SelectField label="Action" value={filters.action ?? ""} onChange={setAction} options={actionOptions} />
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
          <SelectField label="Tenant" value={tenant} onChange={setTenant} options={[{ value: "", label: "All tenants" }, ...tenantSlugs.map((slug) => ({ value: slug, label: slug }))]} />
          <InlineInput label="Actor" type="search" value={actor} onChange={setActor} placeholder="Email starts with…" />
          <InlineInput label="From" type="date" value={firstDay} onChange={setFirstDay} />
          <InlineInput label="To" type="date" value={lastDay} onChange={setLastDay} />
          <button type="button" className="button" onClick={refresh} disabled={events.isFetching}>
            {events.isFetching && !events.isPending ? "Refreshing…" : "Refresh"}
          </button>
        </div>
        <CursorPager name="Audit log pages" paging={paging} pageSize={pageSize} query={events} />
      </div>
      {events.isError && <ErrorMessage error={events.error} onRetry={() => void events.refetch()} />}
      <div className="table-frame">
        <table className="table table-audit" aria-busy={events.isFetching}>
          <caption className="visually-hidden">Administrative actions, newest first</caption>
          <colgroup>
            <col className="col-time" />
            <col className="col-actor" />
            <col className="col-address" />
            <col className="col-audit-action" />
            <col />
            <col className="col-audit-tenant" />
            <col className="col-audit-outcome" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Address</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Tenant</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody className={events.isPlaceholderData ? "table-stale" : undefined}>
            {events.isPending && <SkeletonRows columns={columns} />}
            {page?.items.length === 0 && (
              <TableMessageRow columns={columns}>
                {filtered ? <p className="empty-title">No events match these filters</p> : <p className="empty-title">No administrative actions yet</p>}
              </TableMessageRow>
            )}
            {page?.items.map((event) => (
              <AuditRow key={event.id} event={event} open={expanded === event.id} onToggle={() => setExpanded(expanded === event.id ? null : event.id)} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Props of AuditRow. */
interface AuditRowProps {
  readonly event: AuditEvent;
  readonly open: boolean;
  readonly onToggle: () => void;
}

/** One event: a row of the table, and below it, when open, everything the event holds. */
function AuditRow({ event, open, onToggle }: AuditRowProps) {
  const detailsId = useId();
  const target = targetWords(event.target);
  return (
    <Fragment>
      <tr className={open ? "row-link row-open" : "row-link"} onClick={(click) => clickRow(click, onToggle)}>
        <td>
          <button type="button" className="disclosure" aria-expanded={open} aria-controls={detailsId} onClick={onToggle} aria-label={`Details of ${actionWords(event.action)} at ${formatAbsoluteTime(event.occurredAt)}`}>
            <span className="disclosure-mark" aria-hidden="true" />
          </button>
          <RelativeTime iso={event.occurredAt} />
        </td>
        <td className="truncate" title={actorWords(event.actor)}>
          {actorWords(event.actor)}
        </td>
        <td className="truncate">{event.address ? <code title={event.address}>{event.address}</code> : <span className="muted">—</span>}</td>
        <td className="truncate" title={event.action}>
          {actionWords(event.action)}
          <span className="cell-sub">{event.action}</span>
        </td>
        <td className="truncate" title={target ?? undefined}>
          {target ?? <span className="muted">—</span>}
        </td>
        <td className="truncate">{event.tenant ? <code>{event.tenant.slug}</code> : <span className="muted">—</span>}</td>
        <td className="truncate" title={event.reason ?? undefined}>
          {event.outcome === "success" ? <Badge tone="success">Success</Badge> : <Badge tone="danger">Failure</Badge>}
          {event.reason && <span className="cell-sub cell-reason">{event.reason}</span>}
        </td>
      </tr>
      {open && (
        <tr className="audit-details" id={detailsId}>
          <td colSpan={columns}>
            <dl className="audit-facts">
              <dt>Time</dt>
              <dd>{formatAbsoluteTime(event.occurredAt)}</dd>
              <dt>Actor</dt>
              <dd>
                {actorWords(event.actor)} <span className="muted">({event.actor.kind}{event.actor.id ? `, id ${event.actor.id}` : ""})</span>
              </dd>
              <dt>Address</dt>
              <dd>{event.address ?? "—"}</dd>
              <dt>User agent</dt>
              <dd>{event.userAgent ?? "—"}</dd>
              <dt>Action</dt>
              <dd>
                {actionWords(event.action)} <code>{event.action}</code>
              </dd>
              <dt>Target</dt>
              <dd>{event.target ? `${target}${event.target.id ? ` (id ${event.target.id})` : ""}` : "—"}</dd>
              <dt>Tenant</dt>
              <dd>{event.tenant ? `${event.tenant.slug}${event.tenant.id ? ` (id ${event.tenant.id})` : " (no such tenant)"}` : "—"}</dd>
              <dt>Outcome</dt>
              <dd>{event.outcome === "success" ? "Success" : `Failure: ${event.reason ?? "no reason recorded"}`}</dd>
              <dt>Event id</dt>
              <dd>
                <code>{event.id}</code>
              </dd>
            </dl>
            {Object.keys(event.details).length > 0 && <pre className="audit-json">{JSON.stringify(event.details, null, 2)}</pre>}
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/** Props of InlineInput. */
interface InlineInputProps {
  readonly label: string;
  readonly type: "search" | "date";
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly placeholder?: string;
}

/** A labelled input in the filter bar, beside the drop-downs. */
function InlineInput({ label, type, value, onChange, placeholder }: InlineInputProps) {
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} value={value} placeholder={placeholder} autoComplete="off" spellCheck={false} maxLength={type === "search" ? 320 : undefined} onChange={(change) => onChange(change.target.value)} />
    </div>
  );
}
