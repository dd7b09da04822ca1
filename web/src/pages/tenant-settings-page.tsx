import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { Tenant } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { Dialog } from "../components/dialog";
import { ErrorMessage } from "../components/error-message";
import { TextField } from "../components/text-field";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useTenant } from "../hooks/use-tenant";
import { fieldError, formError } from "../lib/form-errors";

/** A tenant's settings: rename it, or delete it with all its data after typing its slug. */
export function TenantSettingsPage() {
  const tenant = useTenant();
  useDocumentTitle("Settings", tenant.name);
  const [deleting, setDeleting] = useState(false);
  return (
    <div className="settings">
      <RenameForm tenant={tenant} />
      <section className="card card-danger" aria-labelledby="delete-title">
        <h2 id="delete-title" className="card-title">
          Delete tenant
        </h2>
        <p>
          Deletes <strong>{tenant.name}</strong> with all its users, groups, tokens and activity. Identity providers using its base URL get{" "}
          <code>404</code> afterwards. This cannot be undone.
        </p>
        <div className="form-actions">
          <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
            Delete tenant…
          </button>
        </div>
      </section>
      <Dialog open={deleting} onClose={() => setDeleting(false)} title={`Delete ${tenant.name}?`} tone="danger">
        <DeleteConfirmation tenant={tenant} onCancel={() => setDeleting(false)} />
      </Dialog>
    </div>
  );
}

function RenameForm({ tenant }: { readonly tenant: Tenant }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(tenant.name);
  const [missing, setMissing] = useState(false);
  const rename = useMutation({
    mutationFn: () => api.renameTenant(tenant.slug, name.trim()),
    onSuccess: (renamed) => {
      queryClient.setQueryData(queryKeys.tenantDetails(tenant.slug), renamed);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(name.trim() === "");
    if (name.trim() !== "") rename.mutate();
  };
  return (
    <section className="card" aria-labelledby="rename-title">
      <h2 id="rename-title" className="card-title">
        Name
      </h2>
      {rename.isSuccess && (
        <p className="alert alert-success" role="status">
          The tenant is now called {rename.data.name}.
        </p>
      )}
      {formError(rename.error, ["name"]) !== null && <ErrorMessage error={rename.error} title="The tenant was not renamed" />}
      <form className="form form-row" onSubmit={submit} noValidate>
        <TextField
          label="Tenant name"
          autoComplete="off"
          maxLength={200}
          hint={
            <>
              The slug <code>{tenant.slug}</code> and the SCIM base URL stay the same.
            </>
          }
          value={name}
          error={missing ? "Enter a name." : fieldError(rename.error, "name")}
          onChange={(event) => setName(event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={rename.isPending || name.trim() === tenant.name}>
            {rename.isPending ? "Saving…" : "Rename"}
          </button>
        </div>
      </form>
    </section>
  );
}

function DeleteConfirmation({ tenant, onCancel }: { readonly tenant: Tenant; readonly onCancel: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: () => api.deleteTenant(tenant.slug, typed),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.tenant(tenant.slug) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
      void navigate("/tenants", { replace: true });
    },
  });
  const matches = typed === tenant.slug;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (matches) remove.mutate();
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <p>
        All users, groups, tokens and activity of <strong>{tenant.name}</strong> will be deleted, and its SCIM base URL will stop working.
      </p>
      {formError(remove.error, ["confirm"]) !== null && <ErrorMessage error={remove.error} title="The tenant was not deleted" />}
      <TextField
        label={`Type the slug “${tenant.slug}” to confirm`}
        autoComplete="off"
        spellCheck={false}
        value={typed}
        error={fieldError(remove.error, "confirm")}
        onChange={(event) => setTyped(event.target.value)}
      />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-danger" disabled={!matches || remove.isPending}>
          {remove.isPending ? "Deleting…" : "Delete tenant"}
        </button>
      </div>
    </form>
  );
}
