"""Logging in with email and password (WooCommerce and self-hosted stores), and out again.

The demo store has a one-click login outside production, so `make run` shows a working admin
without creating a user first; it opens the demo store only, never a real one.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from plugin.admin import csrf
from plugin.admin.access import logged_in_user, start_session
from plugin.admin.blueprint import bp
from plugin.admin.login_limits import forget_failures, is_locked_out, record_attempt
from plugin.admin.passwords import hash_password, needs_rehash, password_matches
from plugin.admin.tables import AdminUser, StoreAdmin
from plugin.db import session
from plugin.demo.store import find_demo_store
from plugin.errors import ApiError
from plugin.models import utcnow

DEMO_ADMIN_EMAIL = "demo-admin@encore.invalid"


def demo_login_allowed() -> bool:
    return str(current_app.config.get("ENV", "")).lower() != "production"


def _safe_next(target: str | None) -> str:
    """Only back into the admin: never an open redirect to another site."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.home")


@bp.get("/login")
def login() -> BaseResponse | tuple[str, int]:
    if logged_in_user(session()) is not None:
        return redirect(_safe_next(request.args.get("next")))
    return _login_page()


def _login_page(error: str | None = None, email: str = "", status: int = 200) -> tuple[str, int]:
    demo = find_demo_store(session()) if demo_login_allowed() else None
    html = render_template(
        "admin/login.html",
        error=error,
        email=email,
        next=request.values.get("next", ""),
        demo_store=demo,
    )
    return html, status


@bp.post("/login")
def login_submit() -> BaseResponse | tuple[str, int]:
    csrf.check_csrf()
    db = session()
    email = (request.form.get("email") or "").strip().lower()[:320]
    password = request.form.get("password") or ""
    client = request.remote_addr or "unknown"
    config = current_app.config
    window = timedelta(seconds=float(config.get("ADMIN_LOGIN_WINDOW_SECONDS", 900)))
    limit = int(config.get("ADMIN_LOGIN_LIMIT", 5))
    if is_locked_out(db, email=email, client=client, limit=limit, window=window):
        minutes = max(1, int(window.total_seconds() // 60))
        return _login_page(
            f"Too many failed logins. Wait {minutes} minutes, then try again.", email, 429
        )
    user = db.scalar(select(AdminUser).where(AdminUser.email == email)) if email else None
    accepted = password_matches(user.password_hash if user else None, password)
    accepted = accepted and user is not None and user.active
    record_attempt(db, email=email, client=client, succeeded=accepted, window=window)
    if not accepted or user is None:
        db.commit()
        return _login_page("That email and password do not match an admin.", email, 401)
    forget_failures(db, email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.commit()
    start_session(user)
    return redirect(_safe_next(request.form.get("next")), code=302)


@bp.post("/logout")
def logout() -> BaseResponse:
    from flask import session as cookie_session

    cookie_session.clear()
    return redirect(url_for("admin.login"), code=302)


@bp.post("/demo-login")
def demo_login() -> BaseResponse:
    """Development only: log in as the demo store's admin (created on first use)."""
    csrf.check_csrf()
    db = session()
    store = find_demo_store(db) if demo_login_allowed() else None
    if store is None:
        raise ApiError(404, "no_demo_store", "There is no demo store here (run `encore demo`).")
    user = db.scalar(select(AdminUser).where(AdminUser.email == DEMO_ADMIN_EMAIL))
    if user is None:
        # Nobody knows this password: the account opens through this button only.
        user = AdminUser(
            email=DEMO_ADMIN_EMAIL, password_hash=hash_password(secrets.token_urlsafe(32))
        )
        db.add(user)
        db.flush()
    granted = db.scalar(
        select(StoreAdmin.id).where(
            StoreAdmin.admin_user_id == user.id, StoreAdmin.store_id == store.id
        )
    )
    if granted is None:
        db.add(StoreAdmin(admin_user_id=user.id, store_id=store.id))
    user.last_login_at = utcnow()
    db.commit()
    start_session(user)
    return redirect(url_for("admin.dashboard", store_id=store.public_id), code=302)
