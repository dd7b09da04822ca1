import { ApiClient } from "./api-client";
import { createAdminEndpoints } from "./admin-endpoints";

/** The console's one connection to the admin API on its own origin. */
export const apiClient = new ApiClient();

/** The admin API routes, bound to `apiClient`. */
export const api = createAdminEndpoints(apiClient);
