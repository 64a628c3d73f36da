"""Who is asking, and which stores they may see.

Two kinds of merchant reach the admin:
- a Shopify shop, embedded in the Shopify admin: its verified id token names the shop, and the
  shop may see exactly its own store;
- an admin user who logged in with email and password (WooCommerce, self-hosted): a store
  belongs to the users it was granted to (`StoreAdmin`), and to no one else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, g, session
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.admin.shopify_embedded import shop_store
from plugin.admin.tables import AdminUser, StoreAdmin
from plugin.errors import ApiError
from plugin.models import Platform, Store

SESSION_USER = "admin_user_id"
SESSION_SINCE = "admin_since"


@dataclass(frozen=True)
class Principal:
    """The merchant behind this request."""

    kind: str  # "shopify" (embedded, id token) or "user" (password login)
    shop: str | None = None
    host: str | None = None  # Shopify's `host` parameter, which App Bridge needs
    user_id: int | None = None
    email: str | None = None

    @property
    def embedded(self) -> bool:
        return self.kind == "shopify"

    @property
    def name(self) -> str:
        return self.shop or self.email or ""


def current_principal() -> Principal:
    principal: Principal | None = g.get("admin_principal")
    if principal is None:  # every admin route but login runs after authentication
        raise ApiError(401, "not_logged_in", "Log in to the Encore admin first.")
    return principal


def logged_in_user(db: Session, now: datetime | None = None) -> AdminUser | None:
    """The session's admin user, if the session is recent and the user is still active."""
    user_id, since = session.get(SESSION_USER), session.get(SESSION_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, int | float):
        return None
    now = now or datetime.now(UTC)
    lifetime = timedelta(hours=float(current_app.config.get("ADMIN_SESSION_HOURS", 12)))
    if now - datetime.fromtimestamp(since, UTC) > lifetime:
        return None
    user = db.get(AdminUser, user_id)
    return user if user is not None and user.active else None


def start_session(user: AdminUser, now: datetime | None = None) -> None:
    """A fresh session (new CSRF token too): nothing from before the login carries over."""
    session.clear()
    session[SESSION_USER] = user.id
    session[SESSION_SINCE] = int((now or datetime.now(UTC)).timestamp())


def stores_of(db: Session, principal: Principal) -> list[Store]:
    if principal.embedded:
        store = shop_store(db, principal.shop or "")
        return [store] if store is not None else []
    return list(
        db.scalars(
            select(Store)
            .join(StoreAdmin, StoreAdmin.store_id == Store.id)
            .where(StoreAdmin.admin_user_id == principal.user_id)
            .order_by(Store.name, Store.id)
        )
    )


def store_for(db: Session, principal: Principal, public_id: str) -> Store:
    """The store named in the URL, if this merchant may manage it: else 404 or 403."""
    store = db.scalar(select(Store).where(Store.public_id == public_id))
    if store is None:
        raise ApiError(404, "store_not_found", "There is no store with this id.")
    if principal.embedded:
        if store.platform != Platform.SHOPIFY or store.domain != principal.shop:
            raise ApiError(403, "wrong_shop", "This store is not the shop you opened Encore from.")
        return store
    granted = db.scalar(
        select(StoreAdmin.id).where(
            StoreAdmin.store_id == store.id, StoreAdmin.admin_user_id == principal.user_id
        )
    )
    if granted is None:
        raise ApiError(
            403,
            "not_your_store",
            "Your admin account does not manage this store; ask its owner to add you "
            "(`encore admin create-user EMAIL --store ...`).",
        )
    return store
