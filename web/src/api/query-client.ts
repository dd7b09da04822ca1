import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiRequestError } from "./api-client";
import { apiClient } from "./console-api";
import { queryKeys } from "./query-keys";

/** True for failures worth one more try: no answer, or a server-side error. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiRequestError && (error.status === 0 || error.status >= 500);
}

/**
 * The console's query client. When any request finds the session gone (expired, signed out in another
 * tab, password changed elsewhere), the session becomes null and the console returns to Sign in.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => forgetSessionOn(error) }),
    mutationCache: new MutationCache({ onError: (error) => forgetSessionOn(error) }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => failures < 2 && isRetryable(error),
      },
      mutations: { retry: false },
    },
  });
  function forgetSessionOn(error: unknown): void {
    if (!(error instanceof ApiRequestError)) return;
    if (error.code === "unauthenticated") {
      apiClient.setCsrfToken(null);
      client.setQueryData(queryKeys.session, null);
    }
    // A stale CSRF token (the session was replaced): fetch the current one so that a retry works.
    if (error.code === "csrf") void client.invalidateQueries({ queryKey: queryKeys.session });
  }
  return client;
}
