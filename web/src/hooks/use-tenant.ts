import { useOutletContext } from "react-router";
import type { Tenant } from "../../../shared/admin-api";
import type { TenantContext } from "../pages/tenant-layout";

/** The tenant whose pages are shown (inside TenantLayout). */
export function useTenant(): Tenant {
  return useOutletContext<TenantContext>().tenant;
}
