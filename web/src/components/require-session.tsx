import { useRef } from "react";
import { Navigate, useLocation } from "react-router";
import { useSession } from "../hooks/use-session";
import { AppShell } from "./app-shell";
import { ErrorMessage } from "./error-message";
import { FullPageMessage } from "./full-page-message";

/** Everything behind sign-in: sends visitors without a session to Sign in, which brings them back here after. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  const hadSession = useRef(false);

  if (session.isPending) {
    return (
      <FullPageMessage title="Loading…">
        <p className="muted">Checking your session.</p>
      </FullPageMessage>
    );
  }
  if (session.isError) {
    return (
      <FullPageMessage title="The console cannot start">
        <ErrorMessage error={session.error} title="Your session could not be checked" onRetry={() => void session.refetch()} />
      </FullPageMessage>
    );
  }
  if (session.data === null) {
    const next = `${location.pathname}${location.search}`;
    const search = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/sign-in${search}`} replace state={{ expired: hadSession.current }} />;
  }
  hadSession.current = true;
  return <AppShell session={session.data} />;
}
