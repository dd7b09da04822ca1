import type { QueryClient } from "@tanstack/react-query";
import type { SessionInfo } from "../../../shared/admin-api";
import { api, apiClient } from "./console-api";
import { queryKeys } from "./query-keys";

/** Loads the current session and arms the client with its CSRF token; null when nobody is signed in. */
export async function loadSession(): Promise<SessionInfo | null> {
  const session = await api.session();
  apiClient.setCsrfToken(session?.csrfToken ?? null);
  return session;
}

/** Makes a session the console's own after signing in or completing a setup link. */
export function adoptSession(queryClient: QueryClient, session: SessionInfo): void {
  apiClient.setCsrfToken(session.csrfToken);
  queryClient.setQueryData(queryKeys.session, session);
}

/** Forgets everything the signed-out admin could see. */
export function forgetSession(queryClient: QueryClient): void {
  apiClient.setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
  queryClient.setQueryData(queryKeys.session, null);
}
