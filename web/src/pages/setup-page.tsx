import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiRequestError } from "../api/api-client";
import { api } from "../api/console-api";
import { adoptSession } from "../api/session";
import { ErrorMessage } from "../components/error-message";
import { FullPageMessage } from "../components/full-page-message";
import { TextField } from "../components/text-field";
import { useDocumentTitle } from "../hooks/use-document-title";
import { fieldError, formError } from "../lib/form-errors";
import { checkNewPassword, passwordHint } from "../lib/password-check";
import { RelativeTime } from "../components/relative-time";

/** A one-time setup link: the first admin chooses an email and a password; an invited admin chooses a password. */
export function SetupPage() {
  useDocumentTitle("Set up your account");
  const { token = "" } = useParams();
  const link = useQuery({ queryKey: ["setup-link", token], queryFn: () => api.setupLink(token), retry: false, staleTime: Number.POSITIVE_INFINITY });

  if (link.isPending) {
    return (
      <FullPageMessage title="Set up your account">
        <p className="muted">Checking the setup link…</p>
      </FullPageMessage>
    );
  }
  if (link.isError) {
    if (link.error instanceof ApiRequestError && (link.error.code === "setup_link_invalid" || link.error.code === "not_found")) {
      return (
        <FullPageMessage title="This setup link cannot be used">
          <p>{link.error.message}</p>
          <p>
            Setup links work once and expire. Ask an admin for a new one: <code>npx muster admins create &lt;email&gt;</code> prints it. If your
            account is already set up, <Link to="/sign-in">sign in</Link>.
          </p>
        </FullPageMessage>
      );
    }
    return (
      <FullPageMessage title="Set up your account">
        <ErrorMessage error={link.error} onRetry={() => void link.refetch()} />
      </FullPageMessage>
    );
  }
  return <SetupForm token={token} email={link.data.email} expiresAt={link.data.expiresAt} />;
}

interface SetupFormProps {
  readonly token: string;
  readonly email: string | null;
  readonly expiresAt: string;
}

function SetupForm({ token, email: invitedEmail, expiresAt }: SetupFormProps) {
  const firstAdmin = invitedEmail === null;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [problems, setProblems] = useState<{ email?: string | null; password?: string | null; confirmation?: string | null }>({});

  const setup = useMutation({
    mutationFn: () => api.completeSetup(token, firstAdmin ? { email: email.trim(), password } : { password }),
    onSuccess: (session) => {
      adoptSession(queryClient, session);
      void navigate("/tenants", { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkNewPassword(password, confirmation);
    const found = { ...checked, email: firstAdmin && email.trim() === "" ? "Enter your email address." : null };
    setProblems(found);
    if (found.email || found.password || found.confirmation) return;
    setup.mutate();
  };

  return (
    <FullPageMessage title={firstAdmin ? "Create the first admin" : "Choose your password"}>
      <p>
        {firstAdmin ? (
          "Nobody administers this Muster server yet. Choose the email and password you will sign in with."
        ) : (
          <>
            Choose the password for <strong>{invitedEmail}</strong>.
          </>
        )}{" "}
        <span className="muted">
          This link expires <RelativeTime iso={expiresAt} />.
        </span>
      </p>
      {formError(setup.error, ["email", "password"]) !== null && <ErrorMessage error={setup.error} title="The account could not be set up" />}
      <form className="form" onSubmit={submit} noValidate>
        {firstAdmin ? (
          <TextField
            label="Email"
            type="email"
            autoComplete="username"
            autoFocus
            value={email}
            error={problems.email ?? fieldError(setup.error, "email")}
            onChange={(event) => setEmail(event.target.value)}
          />
        ) : (
          <input type="hidden" name="username" autoComplete="username" value={invitedEmail} />
        )}
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          autoFocus={!firstAdmin}
          hint={passwordHint}
          value={password}
          error={problems.password ?? fieldError(setup.error, "password")}
          onChange={(event) => setPassword(event.target.value)}
        />
        <TextField
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          error={problems.confirmation}
          onChange={(event) => setConfirmation(event.target.value)}
        />
        <button type="submit" className="button button-primary button-block" disabled={setup.isPending}>
          {setup.isPending ? "Setting up…" : firstAdmin ? "Create admin and sign in" : "Set password and sign in"}
        </button>
      </form>
    </FullPageMessage>
  );
}
