import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Tenant } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { Dialog } from "../components/dialog";
import { ErrorMessage } from "../components/error-message";
import { TextField } from "../components/text-field";
import { fieldError, formError } from "../lib/form-errors";
import { maxSlugLength, slugProblem, suggestSlug } from "../lib/tenant-slug";

/** Props of CreateTenantDialog. */
export interface CreateTenantDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: (tenant: Tenant) => void;
}

/** Asks for a tenant's name and slug (suggested from the name, checked as the server checks it) and creates it. */
export function CreateTenantDialog({ open, onClose, onCreated }: CreateTenantDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title="Create tenant">
      <CreateTenantForm onClose={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

function CreateTenantForm({ onClose, onCreated }: Omit<CreateTenantDialogProps, "open">) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation({
    mutationFn: () => api.createTenant({ slug, name: name.trim() === "" ? undefined : name.trim() }),
    onSuccess: (tenant) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
      onClose();
      onCreated(tenant);
    },
  });
  const problem = slugProblem(slug);
  // Show the rule while typing once something is typed, and always after a submit.
  const slugMessage = (submitted || slug !== "") && problem !== null ? problem : fieldError(create.error, "slug");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (problem === null) create.mutate();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {formError(create.error, ["slug", "name"]) !== null && <ErrorMessage error={create.error} title="The tenant was not created" />}
      <TextField
        label="Name"
        autoComplete="off"
        hint="Shown in the console, e.g. the company or the identity provider."
        maxLength={200}
        value={name}
        error={fieldError(create.error, "name")}
        onChange={(event) => {
          setName(event.target.value);
          if (!slugEdited) setSlug(suggestSlug(event.target.value));
        }}
      />
      <TextField
        label="Slug"
        autoComplete="off"
        spellCheck={false}
        maxLength={maxSlugLength + 1}
        hint={
          <>
            Part of the SCIM base URL: <code>/scim/v2/{slug || "slug"}</code>. Lower-case letters, digits and hyphens; it cannot be changed later.
          </>
        }
        value={slug}
        error={slugMessage}
        onChange={(event) => {
          setSlug(event.target.value);
          setSlugEdited(true);
        }}
      />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create tenant"}
        </button>
      </div>
    </form>
  );
}
