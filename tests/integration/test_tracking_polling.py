"""Polling carriers for merchants who gave credentials: sealed accounts, due parcels only,
carrier events merged into the timeline, the schedule moved on, and notifications planned."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import responses
from sqlalchemy import select

from plugin.models import Shipment, utcnow
from plugin.tracking.accounts import save_carrier_account
from plugin.tracking.carrier_api.base import clear_token_cache
from plugin.tracking.polling import poll_due
from plugin.tracking.tables import CarrierAccount
from tests.conftest import run_cli
from tests.storefront_helpers import shopify_store
from tests.tracking_helpers import CARRIER_FIXTURES, by_key, parcel, place_order

UPS_TRACK = "https://onlinetools.ups.com/api/track/v1/details/1Z5R89390357567127"
SECRET = "ups-client-secret-do-not-store"


@pytest.fixture(autouse=True)
def fresh_tokens():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.settings = {"quiet_hours": None}
    db.commit()
    return shop


def fixture(name: str) -> Any:
    return json.loads((CARRIER_FIXTURES / name).read_text())


def ups_account(db, store) -> CarrierAccount:
    account = save_carrier_account(
        db, store, "ups", {"client_id": "ups-client", "client_secret": SECRET}
    )
    db.commit()
    return account


def test_credentials_are_sealed_not_stored_in_settings(db, store):
    account = ups_account(db, store)
    assert SECRET not in account.credentials_sealed
    assert SECRET not in json.dumps(store.settings)


@responses.activate
def test_due_parcel_is_polled_and_its_timeline_grows(db, store):
    ups_account(db, store)
    order = place_order(db, store, shipments=(parcel("820982911946154508", "confirmed"),))
    shipment = order.shipments[0]
    assert shipment.next_poll_at is not None  # scheduled when it was saved
    responses.post(
        "https://onlinetools.ups.com/security/v1/oauth/token", json=fixture("oauth_token.json")
    )
    responses.get(UPS_TRACK, json=fixture("ups_track_out_for_delivery.json"))

    summary = poll_due(db, utcnow() + timedelta(hours=7))
    assert (summary.polled, summary.changed, summary.failed) == (1, 1, 0)
    db.expire_all()
    shipment = db.get(Shipment, shipment.id)
    assert shipment.status == "out_for_delivery"
    assert shipment.service == "UPS Ground"
    assert [e.message for e in shipment.events][-1] == "Out for delivery today"
    assert shipment.next_poll_at - shipment.last_polled_at == timedelta(hours=1)
    assert by_key(db)[("out_for_delivery", "email")].status in {"pending", "skipped"}

    # Not due again for an hour: nothing is asked.
    assert poll_due(db, shipment.last_polled_at + timedelta(minutes=30)).polled == 0
    assert len(responses.calls) == 2


@responses.activate
def test_carrier_outage_is_retried_at_the_next_poll(db, store):
    ups_account(db, store)
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    responses.post(
        "https://onlinetools.ups.com/security/v1/oauth/token", json=fixture("oauth_token.json")
    )
    responses.get(UPS_TRACK, status=503)
    now = utcnow() + timedelta(hours=5)
    summary = poll_due(db, now)
    assert (summary.polled, summary.failed) == (1, 1)
    shipment = db.scalar(select(Shipment))
    assert shipment.status == "in_transit" and shipment.next_poll_at > now
    account = db.scalar(select(CarrierAccount))
    assert "503" in account.last_error and SECRET not in account.last_error


def test_parcels_of_carriers_without_credentials_are_not_polled(db, store):
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    with responses.RequestsMock():  # any HTTP call would fail the test
        assert poll_due(db, utcnow() + timedelta(days=1)).polled == 0
    assert db.scalar(select(Shipment)).next_poll_at is None


def test_delivered_parcels_are_never_polled_again(db, store):
    ups_account(db, store)
    place_order(
        db, store, shipments=(parcel("820982911946154508", "delivered", delivered_at=utcnow()),)
    )
    assert db.scalar(select(Shipment)).next_poll_at is None


def test_cli_saves_an_account_and_runs_the_schedule(app, db, store):
    result = run_cli(
        app,
        "tracking",
        "carrier-account",
        store.domain,
        "dhl",
        "--credentials",
        '{"api_key": "dhl-key"}',
    )
    assert result.exit_code == 0, result.output
    assert "sealed" in result.output
    assert db.scalar(select(CarrierAccount)).carrier == "dhl"
    bad = run_cli(app, "tracking", "carrier-account", store.domain, "dhl", "--credentials", "{}")
    assert bad.exit_code != 0 and "api_key" in bad.output
    tick = run_cli(app, "tracking", "tick")
    assert tick.exit_code == 0, tick.output
    assert "carriers: 0 polled" in tick.output


def test_adding_an_account_polls_parcels_already_on_their_way(db, store):
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    assert db.scalar(select(Shipment)).next_poll_at is not None
    poll_due(db, utcnow() + timedelta(days=1))  # no account yet: nothing to ask, schedule cleared
    assert db.scalar(select(Shipment)).next_poll_at is None
    ups_account(db, store)
    db.expire_all()
    assert db.scalar(select(Shipment)).next_poll_at <= utcnow()


def test_the_worker_runs_the_tracking_tick(app, db, store, monkeypatch):
    from plugin.jobs.worker import Worker
    from plugin.tracking import periodic, schedule

    ticks = []

    def counted_tick(session, now):
        ticks.append(now)
        return schedule.TickSummary()

    monkeypatch.setattr(periodic, "tick", counted_tick)
    worker = Worker(app, worker_id="test")
    worker.run_periodic_tasks()
    worker.run_periodic_tasks()  # not due again until TRACKING_TICK_SECONDS have passed
    assert len(ticks) == 1
