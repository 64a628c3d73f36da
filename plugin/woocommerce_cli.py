"""`encore woocommerce ...`: self-healing by hand, and what it last found."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from plugin.models import Platform, Store


def find_store(db: Session, reference: str) -> Store:
    """A WooCommerce store by public id, store URL or database id."""
    reference = reference.strip()
    conditions = [Store.public_id == reference, Store.domain == reference.rstrip("/")]
    if reference.isdigit():
        conditions.append(Store.id == int(reference))
    store = db.scalar(select(Store).where(Store.platform == Platform.WOOCOMMERCE, or_(*conditions)))
    if store is None:
        raise click.ClickException(
            f"No WooCommerce store matches {reference!r} (give its store id or URL)."
        )
    return store


@click.group("woocommerce")
def woocommerce_group() -> None:
    """WooCommerce stores: repair webhooks, reconcile orders, show health."""


@woocommerce_group.command("reconcile")
@click.argument("store_reference", metavar="STORE")
@with_appcontext
def reconcile_command(store_reference: str) -> None:
    """Repair STORE's webhooks and read every order changed since the last reconciliation."""
    from plugin.db import session
    from plugin.platforms.woocommerce import WooCommerceApiError, client_for
    from plugin.platforms.woocommerce_health import schedule_next_check
    from plugin.platforms.woocommerce_reconcile import reconcile_now
    from plugin.platforms.woocommerce_webhooks import ensure_webhooks

    db = session()
    store = find_store(db, store_reference)
    try:
        client = client_for(db, store)
        repair = ensure_webhooks(db, store, client)
        click.echo(f"{store.domain}: webhooks: {repair.summary()}")
        run = reconcile_now(db, store, client)
    except WooCommerceApiError as exc:
        db.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{store.domain}: reconciled {run.window_start:%Y-%m-%d %H:%M} to "
        f"{run.window_end:%Y-%m-%d %H:%M} UTC: {run.fetched} read, {run.written} new or changed"
    )
    schedule_next_check(db, store)


@woocommerce_group.command("health")
@click.argument("store_reference", metavar="STORE")
@with_appcontext
def health_command(store_reference: str) -> None:
    """Show STORE's webhooks as last checked and its last reconciliation."""
    from plugin.db import session
    from plugin.platforms.woocommerce_health import last_reconciliation, webhook_health

    db = session()
    store = find_store(db, store_reference)
    for hook in webhook_health(db, store):
        click.echo(f"{hook.topic:<16} {hook.status:<9} {hook.delivery_url}")
    last = last_reconciliation(db, store)
    click.echo(f"last reconciliation: {last:%Y-%m-%d %H:%M} UTC" if last else "never reconciled")
