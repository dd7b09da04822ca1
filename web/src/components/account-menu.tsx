import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Link, useNavigate } from "react-router";
import type { Admin } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { forgetSession } from "../api/session";
import { errorText } from "./error-message";

/** Props of AccountMenu. */
export interface AccountMenuProps {
  readonly admin: Admin;
}

/** The signed-in admin's menu: Change password and Sign out; a menu button as WAI-ARIA describes it. */
export function AccountMenu({ admin }: AccountMenuProps) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: api.signOut,
    onSuccess: () => {
      // Leave the page first: forgetting the session while still on it made the session guard send the
      // admin to /sign-in?next=<this page>, so signing in again returned there instead of the start page.
      void navigate("/sign-in", { replace: true, state: { signedOut: true } });
      forgetSession(queryClient);
    },
  });

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      all[(index + step + all.length) % all.length]?.focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      (event.key === "Home" ? all[0] : all[all.length - 1])?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  };

  return (
    <div className="account">
      <button
        ref={button}
        type="button"
        className="account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span className="account-label">Account</span>
        <span className="account-email">{admin.email}</span>
        <span className="account-caret" aria-hidden="true" />
      </button>
      {open && (
        <div ref={menu} id={menuId} role="menu" aria-label="Account" className="menu" onKeyDown={onMenuKeyDown}>
          <Link role="menuitem" tabIndex={-1} className="menu-item" to="/account/password" onClick={() => close(false)}>
            Change password
          </Link>
          <button role="menuitem" tabIndex={-1} type="button" className="menu-item" disabled={signOut.isPending} onClick={() => signOut.mutate()}>
            {signOut.isPending ? "Signing out…" : "Sign out"}
          </button>
          {signOut.isError && (
            <p className="menu-error" role="alert">
              {errorText(signOut.error)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
