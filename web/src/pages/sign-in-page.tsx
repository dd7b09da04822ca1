import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { api } from "../api/console-api";
import { adoptSession } from "../api/session";
import { ErrorMessage } from "../components/error-message";
import { FullPageMessage } from "../components/full-page-message";
import { TextField } from "../components/text-field";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSession } from "../hooks/use-session";
import { fieldError, formError } from "../lib/form-errors";
import { safeNextPath } from "../lib/safe-redirect";

/** Sign in with email and password, then return to the page that asked for it. */
export function SignInPage() {
  useDocumentTitle("Sign in");
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const state = (location.state ?? {}) as { expired?: boolean; signedOut?: boolean };
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  const signIn = useMutation({
    mutationFn: api.signIn,
    onSuccess: (info) => {
      adoptSession(queryClient, info);
      void navigate(next, { replace: true });
    },
  });

  if (session.data && !signIn.isSuccess) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = { email: email.trim() === "" ? "Enter your email address." : undefined, password: password === "" ? "Enter your password." : undefined };
    setMissing(problems);
    if (problems.email || problems.password) return;
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <FullPageMessage title="Sign in to Muster">
      {state.expired && !signIn.isError && (
        <p className="alert alert-info" role="status">
          Your session has ended. Sign in again to continue.
        </p>
      )}
      {state.signedOut && !signIn.isError && (
        <p className="alert alert-info" role="status">
          You are signed out.
        </p>
      )}
      {formError(signIn.error, ["email", "password"]) !== null && <ErrorMessage error={signIn.error} title="Sign-in failed" />}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          autoFocus
          value={email}
          error={missing.email ?? fieldError(signIn.error, "email")}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          error={missing.password ?? fieldError(signIn.error, "password")}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="button button-primary button-block" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="panel-footnote">
        No account yet? An existing admin can create one with <code>npx muster admins create &lt;email&gt;</code>, which prints a setup link.
      </p>
    </FullPageMessage>
  );
}
