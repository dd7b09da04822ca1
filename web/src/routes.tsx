import { lazy, Suspense } from "react";
import { Navigate, type RouteObject } from "react-router";
import { RequireSession } from "./components/require-session";
import { ActivityPage } from "./pages/activity-page";
import { AuditPage } from "./pages/audit-page";
import { ChangePasswordPage } from "./pages/change-password-page";
import { GroupDetailPage } from "./pages/group-detail-page";
import { GroupsPage } from "./pages/groups-page";
import { HealthPage } from "./pages/health-page";
import { IntegrationPage } from "./pages/integration-page";
import { NotFoundPage } from "./pages/not-found-page";
import { OverviewPage } from "./pages/overview-page";
import { SetupPage } from "./pages/setup-page";
import { SignInPage } from "./pages/sign-in-page";
import { TenantLayout } from "./pages/tenant-layout";
import { TenantSettingsPage } from "./pages/tenant-settings-page";
import { TenantsPage } from "./pages/tenants-page";
import { UserDetailPage } from "./pages/user-detail-page";
import { UsersPage } from "./pages/users-page";

// The guides and the markdown renderer load only when a guide is opened.
const GuidePage = lazy(async () => ({ default: (await import("./pages/guide-page")).GuidePage }));

/** The console's pages, under the /admin basename. */
export const routes: RouteObject[] = [
  { path: "sign-in", element: <SignInPage /> },
  { path: "setup/:token", element: <SetupPage /> },
  {
    element: <RequireSession />,
    children: [
      { index: true, element: <Navigate to="/tenants" replace /> },
      { path: "tenants", element: <TenantsPage /> },
      {
        path: "tenants/:slug",
        element: <TenantLayout />,
        children: [
          { index: true, element: <OverviewPage /> },
          { path: "integration", element: <IntegrationPage /> },
          {
            path: "integration/guides/:guideId",
            element: (
              <Suspense fallback={<p className="muted">Loading the guide…</p>}>
                <GuidePage />
              </Suspense>
            ),
          },
          { path: "users", element: <UsersPage /> },
          { path: "users/:userId", element: <UserDetailPage /> },
          { path: "groups", element: <GroupsPage /> },
          { path: "groups/:groupId", element: <GroupDetailPage /> },
          { path: "activity", element: <ActivityPage /> },
          { path: "settings", element: <TenantSettingsPage /> },
        ],
      },
      { path: "audit", element: <AuditPage /> },
      { path: "health", element: <HealthPage /> },
      { path: "account/password", element: <ChangePasswordPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
