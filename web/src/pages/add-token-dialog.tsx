import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { CreatedToken, Tenant } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { CopyField } from "../components/copy-field";
import { Dialog } from "../components/dialog";
import { ErrorMessage } from "../components/error-message";
import { TextField } from "../components/text-field";
import { fieldError, formError } from "../lib/form-errors";

/** Props of AddTokenDialog. */
export interface AddTokenDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly tenant: Tenant;
}

/** Asks for a client name, creates a token, then shows it once with a copy button and a warning. */
export function AddTokenDialog({ open, onClose, tenant }: AddTokenDialogProps) {
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={created ? "Copy the token now" : "Add token"}>
      {created ? <ShowToken created={created} onDone={close} /> : <AddTokenForm tenant={tenant} onCancel={close} onCreated={setCreated} />}
    </Dialog>
  );
}

interface AddTokenFormProps {
  readonly tenant: Tenant;
  readonly onCancel: () => void;
  readonly onCreated: (created: CreatedToken) => void;
}

function AddTokenForm({ tenant, onCancel, onCreated }: AddTokenFormProps) {
  const queryClient = useQueryClient();
  const [clientName, setClientName] = useState("");
  const [missing, setMissing] = useState(false);
  const create = useMutation({
    mutationFn: () => api.createToken(tenant.slug, { clientName: clientName.trim() }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens(tenant.slug) });
      onCreated(created);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(clientName.trim() === "");
    if (clientName.trim() !== "") create.mutate();
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <p>
        A token lets one SCIM client provision into <strong>{tenant.name}</strong>. Name the client so you can tell its requests apart in Activity.
      </p>
      {formError(create.error, ["clientName"]) !== null && <ErrorMessage error={create.error} title="The token was not created" />}
      <TextField
        label="Client name"
        autoComplete="off"
        placeholder="e.g. Entra ID production"
        maxLength={200}
        value={clientName}
        error={missing ? "Enter a name for the client." : fieldError(create.error, "clientName")}
        onChange={(event) => setClientName(event.target.value)}
      />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}

interface ShowTokenProps {
  readonly created: CreatedToken;
  readonly onDone: () => void;
}

function ShowToken({ created, onDone }: ShowTokenProps) {
  return (
    <div className="form">
      <div className="alert alert-warning" role="alert">
        <p className="alert-title">This token will not be shown again</p>
        <p>Copy it now and paste it into {created.summary.clientName}. Muster keeps only a hash of it; if it is lost, add a new token and revoke this one.</p>
      </div>
      <CopyField label={`Token for ${created.summary.clientName}`} what="token" value={created.token} secret autoFocus />
      <CopyField label="SCIM base URL" value={created.scimBaseUrl} what="SCIM base URL" />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
