"""`encore keys rotate`: every sealed value moves to the first key, so the old key can go."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import select

from plugin import create_app
from plugin.crypto import seal, unseal
from plugin.db import get_db
from plugin.keys import SEALED_COLUMNS
from plugin.models import Store, StoreCredential, WebhookSubscription, utcnow
from plugin.tracking.tables import CarrierAccount
from tests.conftest import run_cli

NEW = Fernet.generate_key().decode()
SECRETS = {
    "access": "shpat_0123456789abcdef",
    "refresh": "shprt_0123456789abcdef",
    "consumer_key": "ck_7b1c5d0a9f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "consumer_secret": "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f07b1c5d0a",
    "webhook": "whsec-order-created",
    "carrier": '{"client_id": "ups-id", "client_secret": "ups-secret"}',
}


@pytest.fixture
def old_key(app: Flask) -> str:
    """The key the test app seals with: the one being rotated away from."""
    return str(app.config["ENCRYPTION_KEY"])


@pytest.fixture
def app_with(app_config: dict[str, Any]) -> Iterator[Callable[[str], Flask]]:
    """Another app on the same database, with the ENCRYPTION_KEY given."""
    made: list[Flask] = []

    def make(keys: str) -> Flask:
        application = create_app({**app_config, "ENCRYPTION_KEY": keys})
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions["encore_db"].dispose()


def seal_everything(db: Any, stores: int = 3) -> None:
    """Stores with every kind of sealed value, sealed with the test app's (old) key."""
    for n in range(stores):
        store = Store(platform="shopify", domain=f"shop-{n}.myshopify.com", installed_at=utcnow())
        store.credential = StoreCredential(
            access_token_sealed=seal(SECRETS["access"]),
            refresh_token_sealed=seal(SECRETS["refresh"]),
            consumer_key_sealed=seal(SECRETS["consumer_key"]),
            consumer_secret_sealed=seal(SECRETS["consumer_secret"]),
        )
        db.add(store)
        db.flush()
        db.add(
            WebhookSubscription(
                store_id=store.id,
                topic="order.created",
                uri="https://encore.example.com/webhooks/woocommerce/x",
                secret_sealed=seal(SECRETS["webhook"]),
            )
        )
        db.add(
            CarrierAccount(
                store_id=store.id, carrier="ups", credentials_sealed=seal(SECRETS["carrier"])
            )
        )
    db.commit()


def rotate(application: Flask, *args: str) -> Any:
    """`encore keys rotate` run by this app (its context, so its keys)."""
    with application.app_context():
        return run_cli(application, "keys", "rotate", *args)


def stored_values(application: Flask) -> dict[str, list[str]]:
    """Every sealed column's ciphertexts, as committed."""
    with application.app_context():
        db = get_db().session()
        return {
            sealed.kind: list(db.scalars(select(sealed.column).order_by(sealed.column.class_.id)))
            for sealed in SEALED_COLUMNS
        }


def read_all(application: Flask) -> dict[str, set[str]]:
    """Every sealed value decrypted with this app's keys (raises if one cannot be)."""
    with application.app_context():
        return {
            kind: {unseal(v) for v in values} for kind, values in stored_values(application).items()
        }


def test_rotation_lets_an_app_with_only_the_new_key_read_every_value(db, app_with, old_key):
    seal_everything(db)
    rotating = app_with(f"{NEW},{old_key}")

    result = rotate(rotating, "--batch-size", "2")

    assert result.exit_code == 0, result.output
    assert "store access tokens: 3 rotated, 0 already current" in result.output
    assert "carrier credentials: 3 rotated, 0 already current" in result.output
    assert "Done: 18 value(s) re-sealed" in result.output
    assert read_all(app_with(NEW)) == {
        "store access tokens": {SECRETS["access"]},
        "store refresh tokens": {SECRETS["refresh"]},
        "WooCommerce consumer keys": {SECRETS["consumer_key"]},
        "WooCommerce consumer secrets": {SECRETS["consumer_secret"]},
        "webhook secrets": {SECRETS["webhook"]},
        "carrier credentials": {SECRETS["carrier"]},
    }


def test_a_second_rotation_rewrites_nothing(db, app_with, old_key):
    seal_everything(db, stores=1)
    rotating = app_with(f"{NEW},{old_key}")
    assert rotate(rotating).exit_code == 0
    after_first = stored_values(rotating)

    again = rotate(rotating)

    assert again.exit_code == 0, again.output
    assert "Done: 0 value(s) re-sealed" in again.output
    assert "store access tokens: 0 rotated, 1 already current" in again.output
    assert stored_values(rotating) == after_first


def test_a_value_no_key_reads_stops_with_what_to_do(db, app_with, old_key):
    seal_everything(db, stores=1)
    stranger = Fernet(Fernet.generate_key())
    credential = db.scalar(select(StoreCredential))
    credential.refresh_token_sealed = stranger.encrypt(b"shprt_lost").decode()
    db.commit()
    rotating = app_with(f"{NEW},{old_key}")

    result = rotate(rotating)

    assert result.exit_code == 1
    assert "store refresh tokens" in result.output
    assert "Add the key it was sealed with to ENCRYPTION_KEY" in result.output
    # What came before the unreadable value was rotated and stays readable with NEW.
    reader = app_with(NEW)
    with reader.app_context():
        tokens = stored_values(reader)["store access tokens"]
        assert [unseal(token) for token in tokens] == [SECRETS["access"]]
