"""`encore admin ...`: admin users for WooCommerce and self-hosted stores."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from plugin.admin.passwords import WeakPassword, check_strength, hash_password
from plugin.admin.tables import AdminUser, StoreAdmin
from plugin.models import Store


@click.group("admin")
def admin_group() -> None:
    """Admin users (Shopify merchants need none: they open Encore from the Shopify admin)."""


def _find_store(db: Session, reference: str) -> Store:
    store = db.scalar(
        select(Store).where(or_(Store.public_id == reference, Store.domain == reference))
    )
    if store is None:
        raise click.ClickException(
            f"No store {reference!r}: give a store's domain (or URL) or its Encore id."
        )
    return store


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@admin_group.command("create-user")
@click.argument("email")
@click.option(
    "--store",
    "stores",
    multiple=True,
    help="A store this admin manages (domain, URL or Encore id); repeat for several.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email: str, stores: tuple[str, ...], password_stdin: bool) -> None:
    """Create an admin user who logs in at /admin/login with EMAIL and a password."""
    from plugin.db import session

    db = session()
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise click.ClickException(f"{email!r} is not an email address.")
    if db.scalar(select(AdminUser.id).where(AdminUser.email == email)) is not None:
        raise click.ClickException(
            f"{email} is already an admin; use `encore admin grant {email} STORE` to add a store."
        )
    granted = [_find_store(db, reference) for reference in stores]
    password = _read_password(password_stdin)
    try:
        check_strength(password)
    except WeakPassword as exc:
        raise click.ClickException(str(exc)) from exc
    user = AdminUser(email=email, password_hash=hash_password(password))
    user.memberships = [StoreAdmin(store_id=store.id) for store in granted]
    db.add(user)
    db.commit()
    names = ", ".join(store.name or store.domain for store in granted) or "no store yet"
    click.echo(f"Admin {email} created ({names}). Log in at /admin/login.")


@admin_group.command("grant")
@click.argument("email")
@click.argument("store")
@with_appcontext
def grant(email: str, store: str) -> None:
    """Let an existing admin user manage one more store."""
    from plugin.db import session

    db = session()
    user = db.scalar(select(AdminUser).where(AdminUser.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No admin {email}; create it with `encore admin create-user`.")
    found = _find_store(db, store)
    if any(m.store_id == found.id for m in user.memberships):
        click.echo(f"{user.email} already manages {found.name or found.domain}.")
        return
    user.memberships.append(StoreAdmin(store_id=found.id))
    db.commit()
    click.echo(f"{user.email} now manages {found.name or found.domain}.")
