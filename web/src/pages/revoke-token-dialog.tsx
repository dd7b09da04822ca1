import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TokenSummary } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { Dialog } from "../components/dialog";
import { ErrorMessage } from "../components/error-message";

/** Props of RevokeTokenDialog. */
export interface RevokeTokenDialogProps {
  /** The token to revoke; null keeps the dialog closed. */
  readonly token: TokenSummary | null;
  readonly onClose: () => void;
  readonly tenantSlug: string;
}

/** Confirms revoking a token, saying what the client will see. */
export function RevokeTokenDialog({ token, onClose, tenantSlug }: RevokeTokenDialogProps) {
  return (
    <Dialog open={token !== null} onClose={onClose} title="Revoke token?" tone="danger">
      {token && <RevokeConfirmation token={token} onClose={onClose} tenantSlug={tenantSlug} />}
    </Dialog>
  );
}

function RevokeConfirmation({ token, onClose, tenantSlug }: RevokeTokenDialogProps & { readonly token: TokenSummary }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.revokeToken(tenantSlug, token.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens(tenantSlug) });
      onClose();
    },
  });
  return (
    <div className="form">
      <p>
        <strong>{token.clientName}</strong> (<code>{token.maskedToken}</code>) will be refused with <code>401 Unauthorized</code> within a few seconds,
        and its provisioning stops. This cannot be undone: to reconnect the client, add a new token.
      </p>
      {revoke.isError && <ErrorMessage error={revoke.error} title="The token was not revoked" />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
          {revoke.isPending ? "Revoking…" : "Revoke token"}
        </button>
      </div>
    </div>
  );
}
