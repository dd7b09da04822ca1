import { Link, NavLink, Outlet } from "react-router";
import type { SessionInfo } from "../../../shared/admin-api";
import { AccountMenu } from "./account-menu";

/** Props of AppShell. */
export interface AppShellProps {
  readonly session: SessionInfo;
}

/** The signed-in frame: the top bar (product, Tenants, Audit, Health, account menu) and the page below it. */
export function AppShell({ session }: AppShellProps) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/tenants" className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width="24" height="24" />
          <span>Muster</span>
        </Link>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/tenants" className="topnav-link">
            Tenants
          </NavLink>
          <NavLink to="/audit" className="topnav-link">
            Audit
          </NavLink>
          <NavLink to="/health" className="topnav-link">
            Health
          </NavLink>
        </nav>
        <AccountMenu admin={session.admin} />
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
