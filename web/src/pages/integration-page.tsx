import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import type { TokenSummary } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { CopyField } from "../components/copy-field";
import { ErrorMessage } from "../components/error-message";
import { RelativeTime } from "../components/relative-time";
import { Badge } from "../components/status-badge";
import { SkeletonRows, TableMessageRow } from "../components/table-parts";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useTenant } from "../hooks/use-tenant";
import { guides } from "../lib/guides";
import { formatAbsoluteTime } from "../lib/time-format";
import { AddTokenDialog } from "./add-token-dialog";
import { RevokeTokenDialog } from "./revoke-token-dialog";

/** What an identity provider needs: the SCIM base URL, tokens (added, listed, revoked) and the setup guides. */
export function IntegrationPage() {
  const tenant = useTenant();
  useDocumentTitle("SCIM Integration", tenant.name);
  const tokens = useQuery({ queryKey: queryKeys.tokens(tenant.slug), queryFn: () => api.tokens(tenant.slug) });
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<TokenSummary | null>(null);
  const base = `/tenants/${encodeURIComponent(tenant.slug)}`;
  const columns = 6;

  return (
    <>
      <section className="card" aria-labelledby="base-url-title">
        <h2 id="base-url-title" className="card-title">
          SCIM base URL
        </h2>
        <p className="muted">
          Paste it into your identity provider as the <em>Tenant URL</em> (Entra ID) or <em>SCIM connector base URL</em> (Okta).
        </p>
        <CopyField label="SCIM base URL" hideLabel value={tenant.scimBaseUrl} what="SCIM base URL" />
        <p className="guide-links">
          <span>View instructions:</span>
          {guides.map((guide) => (
            <Link key={guide.id} to={`${base}/integration/guides/${guide.id}`} aria-label={`View instructions for ${guide.linkText}`}>
              {guide.linkText}
            </Link>
          ))}
        </p>
      </section>

      <section aria-labelledby="tokens-title">
        <div className="section-header">
          <div>
            <h2 id="tokens-title" className="section-title">
              Tokens
            </h2>
            <p className="muted">Each SCIM client authenticates with its own bearer token. Revoke a token when a client no longer needs it.</p>
          </div>
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add token
          </button>
        </div>
        {tokens.isError && <ErrorMessage error={tokens.error} onRetry={() => void tokens.refetch()} />}
        <div className="table-frame">
          <table className="table">
            <caption className="visually-hidden">Tokens</caption>
            <colgroup>
              <col />
              <col className="col-token" />
              <col className="col-time" />
              <col className="col-time" />
              <col className="col-status" />
              <col className="col-action" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Client name</th>
                <th scope="col">Token</th>
                <th scope="col">Time generated</th>
                <th scope="col">Last used time</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.isPending && <SkeletonRows columns={columns} rows={3} />}
              {tokens.data?.length === 0 && (
                <TableMessageRow columns={columns}>
                  <p className="empty-title">No tokens yet</p>
                  <p>Add a token for your identity provider; it is shown once, together with the base URL above.</p>
                </TableMessageRow>
              )}
              {tokens.data?.map((token) => (
                <tr key={token.id} className={token.revokedAt ? "row-muted" : undefined}>
                  <td className="cell-strong truncate" title={token.clientName}>
                    {token.clientName}
                  </td>
                  <td>
                    <code>{token.maskedToken}</code>
                  </td>
                  <td>
                    <RelativeTime iso={token.createdAt} />
                  </td>
                  <td>
                    <RelativeTime iso={token.lastUsedAt} empty="Never" />
                  </td>
                  <td>
                    {token.revokedAt ? (
                      <span title={`Revoked ${formatAbsoluteTime(token.revokedAt)}`}>
                        <Badge tone="neutral">Revoked</Badge>
                      </span>
                    ) : (
                      <Badge tone="success">Active</Badge>
                    )}
                  </td>
                  <td className="cell-action">
                    {!token.revokedAt && (
                      <button type="button" className="button button-small button-danger-quiet" onClick={() => setRevoking(token)} aria-label={`Revoke ${token.clientName}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <AddTokenDialog open={adding} onClose={() => setAdding(false)} tenant={tenant} />
      <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} tenantSlug={tenant.slug} />
    </>
  );
}
