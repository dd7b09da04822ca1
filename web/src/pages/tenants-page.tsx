import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { CopyButton } from "../components/copy-button";
import { ErrorMessage } from "../components/error-message";
import { PageHeader } from "../components/page-header";
import { RelativeTime } from "../components/relative-time";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useDocumentTitle } from "../hooks/use-document-title";
import { clickRow } from "../lib/row-click";
import { CreateTenantDialog } from "./create-tenant-dialog";

/** All tenants, each with its SCIM base URL, and a way to create one. */
export function TenantsPage() {
  useDocumentTitle("Tenants");
  const tenants = useQuery({ queryKey: queryKeys.tenants, queryFn: api.tenants });
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const columns = 4;

  return (
    <div className="page">
      <PageHeader
        title="Tenants"
        description="Each tenant is a separate directory with its own SCIM base URL. Give each identity provider its own tenant."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Create tenant
          </button>
        }
      />
      {tenants.isError && <ErrorMessage error={tenants.error} onRetry={() => void tenants.refetch()} />}
      <div className="table-frame">
        <table className="table">
          <caption className="visually-hidden">Tenants</caption>
          <colgroup>
            <col className="col-name" />
            <col className="col-slug" />
            <col />
            <col className="col-date" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">SCIM base URL</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {tenants.isPending && <SkeletonRows columns={columns} rows={4} />}
            {tenants.data?.length === 0 && (
              <TableMessageRow columns={columns}>
                <p className="empty-title">No tenants yet</p>
                <p>Create one for your identity provider; its SCIM base URL and tokens are on its SCIM Integration page.</p>
              </TableMessageRow>
            )}
            {tenants.data?.map((tenant) => (
              <tr key={tenant.slug} className="row-link" onClick={(event) => clickRow(event, () => void navigate(`/tenants/${encodeURIComponent(tenant.slug)}`))}>
                <td className="cell-strong">
                  <Link to={`/tenants/${encodeURIComponent(tenant.slug)}`}>{tenant.name}</Link>
                </td>
                <td>
                  <code>{tenant.slug}</code>
                </td>
                <td>
                  <span className="url-cell">
                    <code className="truncate" title={tenant.scimBaseUrl}>
                      {tenant.scimBaseUrl}
                    </code>
                    <CopyButton value={tenant.scimBaseUrl} what={`SCIM base URL of ${tenant.name}`} className="button button-small button-quiet" />
                  </span>
                </td>
                <td>
                  <RelativeTime iso={tenant.createdAt} style="date" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CreateTenantDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(tenant) => void navigate(`/tenants/${encodeURIComponent(tenant.slug)}/integration`)}
      />
    </div>
  );
}
