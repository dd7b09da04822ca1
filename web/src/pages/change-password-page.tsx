import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/console-api";
import { ErrorMessage } from "../components/error-message";
import { PageHeader } from "../components/page-header";
import { TextField } from "../components/text-field";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSession } from "../hooks/use-session";
import { fieldError, formError } from "../lib/form-errors";
import { checkNewPassword, passwordHint } from "../lib/password-check";

/** Change the signed-in admin's password; the admin's other sessions end. */
export function ChangePasswordPage() {
  useDocumentTitle("Change password");
  const session = useSession();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [problems, setProblems] = useState<{ current?: string | null; password?: string | null; confirmation?: string | null }>({});
  const change = useMutation({
    mutationFn: () => api.changePassword({ currentPassword: current, newPassword: password }),
    onSuccess: () => {
      setCurrent("");
      setPassword("");
      setConfirmation("");
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = { ...checkNewPassword(password, confirmation), current: current === "" ? "Enter your current password." : null };
    setProblems(found);
    if (found.current || found.password || found.confirmation) return;
    change.mutate();
  };

  return (
    <div className="page page-narrow">
      <PageHeader title="Change password" description="Your other sessions end when the password changes; this one stays signed in." />
      {change.isSuccess && (
        <p className="alert alert-success" role="status">
          Your password has been changed.
        </p>
      )}
      {formError(change.error, ["currentPassword", "newPassword"]) !== null && <ErrorMessage error={change.error} title="The password was not changed" />}
      <form className="form card" onSubmit={submit} noValidate>
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={session.data?.admin.email ?? ""} readOnly hidden />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          error={problems.current ?? fieldError(change.error, "currentPassword")}
          onChange={(event) => setCurrent(event.target.value)}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={passwordHint}
          value={password}
          error={problems.password ?? fieldError(change.error, "newPassword")}
          onChange={(event) => setPassword(event.target.value)}
        />
        <TextField
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          error={problems.confirmation}
          onChange={(event) => setConfirmation(event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </div>
  );
}
