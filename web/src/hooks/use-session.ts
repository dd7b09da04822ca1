import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "../api/query-keys";
import { loadSession } from "../api/session";

/** The signed-in session: `data` is null when nobody is signed in, undefined while loading. */
export function useSession() {
  return useQuery({ queryKey: queryKeys.session, queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY });
}
