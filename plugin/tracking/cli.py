"""`encore tracking ...`: the tracking schedule by hand, and carrier accounts."""

from __future__ import annotations

import json
from datetime import datetime

import click
from flask.cli import with_appcontext


@click.group("tracking")
def tracking_group() -> None:
    """Carrier polling, delivery exceptions and shipping notifications."""


def _now() -> datetime:
    from plugin.models import utcnow

    return utcnow()


@tracking_group.command("poll")
@with_appcontext
def poll_command() -> None:
    """Ask carriers about every parcel that is due."""
    from plugin.db import session
    from plugin.tracking.polling import poll_due

    found = poll_due(session(), _now())
    click.echo(f"{found.polled} polled, {found.changed} changed, {found.failed} failed")


@tracking_group.command("check-exceptions")
@with_appcontext
def check_exceptions_command() -> None:
    """Find late, stalled and unscanned parcels; plan "delayed" messages for them."""
    from plugin.db import session
    from plugin.tracking.schedule import check_exceptions

    click.echo(f"{check_exceptions(session(), _now())} delayed message(s) planned")


@tracking_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send the messages that are due (held by quiet hours, or waiting for a retry)."""
    from plugin.db import session
    from plugin.notifications.delivery import deliver_due

    found = deliver_due(session(), _now())
    click.echo(f"{found.sent} sent, {found.retried} to retry, {found.failed} failed")


@tracking_group.command("tick")
@with_appcontext
def tick_command() -> None:
    """Everything above, in order: what the worker does every TRACKING_TICK_SECONDS."""
    from plugin.db import session
    from plugin.tracking.schedule import tick

    for line in tick(session(), _now()).lines():
        click.echo(line)


@tracking_group.command("carrier-account")
@click.argument("store_domain")
@click.argument("carrier")
@click.option(
    "--credentials",
    envvar="ENCORE_CARRIER_CREDENTIALS",
    required=True,
    help='JSON, e.g. {"client_id": "...", "client_secret": "..."} (or set '
    "ENCORE_CARRIER_CREDENTIALS, which keeps it out of your shell history).",
)
@with_appcontext
def carrier_account_command(store_domain: str, carrier: str, credentials: str) -> None:
    """Save a store's API credentials for a carrier (ups, usps, fedex, dhl), sealed."""
    from sqlalchemy import select

    from plugin.db import session
    from plugin.models import Store
    from plugin.tracking.accounts import save_carrier_account
    from plugin.tracking.carrier_api import CarrierApiError

    db = session()
    store = db.scalar(select(Store).where(Store.domain == store_domain))
    if store is None:
        raise click.ClickException(f"No store has the domain {store_domain}.")
    try:
        values = json.loads(credentials)
        if not isinstance(values, dict):
            raise ValueError
    except ValueError:
        raise click.ClickException("--credentials must be a JSON object.") from None
    try:
        save_carrier_account(db, store, carrier, {k: str(v) for k, v in values.items()})
    except CarrierApiError as exc:
        raise click.ClickException(str(exc)) from None
    db.commit()
    click.echo(f"Saved {carrier} credentials for {store_domain} (sealed).")
