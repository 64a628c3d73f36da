"""Expiring offline tokens: refreshed shortly before they run out, rotated refresh token kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import responses
from sqlalchemy.orm import Session

from plugin.auth.shopify_oauth import AccessTokenGrant
from plugin.auth.tokens import StoreTokenError, save_shopify_token, shopify_access_token
from plugin.crypto import seal, unseal
from plugin.models import Store, StoreCredential, StoreStatus, utcnow
from plugin.platforms.shopify_admin import admin_client_for
from tests.conftest import SHOP, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, load_fixture
from tests.shopify_helpers import calls_to, json_body, mocked_http, token_url

OLD_ACCESS = "shpat_0123456789abcdef0123456789abcdef"
OLD_REFRESH = "shprt_fedcba9876543210fedcba9876543210"
REFRESHED = load_fixture("shopify/oauth_refresh_token.json")


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with mocked_http() as mock:
        yield mock


def make_store(
    db: Session,
    access_left: timedelta | None,
    refresh_left: timedelta | None = timedelta(days=60),
    refresh_token: str | None = OLD_REFRESH,
) -> Store:
    now = utcnow()
    store = Store(platform="shopify", domain=SHOP, installed_at=now)
    store.credential = StoreCredential(
        access_token_sealed=seal(OLD_ACCESS),
        access_expires_at=None if access_left is None else now + access_left,
        refresh_token_sealed=seal(refresh_token) if refresh_token else None,
        refresh_expires_at=None if refresh_left is None else now + refresh_left,
        scopes="read_orders",
    )
    db.add(store)
    db.commit()
    return store


def test_expired_access_token_is_refreshed_and_the_rotated_tokens_saved(db, http):
    http.add(responses.POST, token_url(), json=REFRESHED)
    store = make_store(db, access_left=timedelta(minutes=-1))

    token = shopify_access_token(db, store)

    assert token == REFRESHED["access_token"]
    assert json_body(calls_to(http, token_url())[0]) == {
        "client_id": SHOPIFY_API_KEY,
        "client_secret": SHOPIFY_API_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": OLD_REFRESH,
    }
    db.expire_all()  # read back what was committed
    credential = db.get(StoreCredential, store.credential.id)
    assert unseal(credential.access_token_sealed) == REFRESHED["access_token"]
    assert unseal(credential.refresh_token_sealed) == REFRESHED["refresh_token"]
    assert credential.access_expires_at > utcnow() + timedelta(minutes=55)
    assert credential.refresh_expires_at > utcnow() + timedelta(days=89)
    assert REFRESHED["access_token"] not in credential.access_token_sealed


def test_token_expiring_within_five_minutes_is_refreshed_first(db, http):
    http.add(responses.POST, token_url(), json=REFRESHED)
    store = make_store(db, access_left=timedelta(minutes=4))

    assert shopify_access_token(db, store) == REFRESHED["access_token"]


def test_token_with_time_left_is_used_without_calling_shopify(db, http):
    store = make_store(db, access_left=timedelta(minutes=30))

    assert shopify_access_token(db, store) == OLD_ACCESS
    assert len(http.calls) == 0


def test_non_expiring_token_is_used_as_it_is(db, http):
    store = make_store(db, access_left=None, refresh_left=None, refresh_token=None)

    assert shopify_access_token(db, store) == OLD_ACCESS
    assert len(http.calls) == 0


def test_admin_client_is_built_with_the_refreshed_token(app, db, http):
    http.add(responses.POST, token_url(), json=REFRESHED)
    store = make_store(db, access_left=timedelta(seconds=10))

    client = admin_client_for(db, store)

    assert client.url == f"https://{SHOP}/admin/api/2026-10/graphql.json"
    assert REFRESHED["access_token"] not in repr(client)
    assert len(calls_to(http, token_url())) == 1


def test_refused_refresh_gives_a_clear_error_and_keeps_the_old_tokens(db, http):
    http.add(
        responses.POST,
        token_url(),
        status=400,
        json=load_fixture("shopify/oauth_error_invalid_grant.json"),
    )
    store = make_store(db, access_left=timedelta(minutes=-5))

    with pytest.raises(StoreTokenError) as error:
        shopify_access_token(db, store)

    message = str(error.value)
    assert SHOP in message and "invalid_grant" in message
    assert "open Encore in the Shopify admin" in message
    assert OLD_REFRESH not in message
    db.expire_all()
    credential = db.get(StoreCredential, store.credential.id)
    assert unseal(credential.refresh_token_sealed) == OLD_REFRESH


def test_expired_refresh_token_asks_the_merchant_to_reopen_the_app(db, http):
    store = make_store(db, access_left=timedelta(minutes=-5), refresh_left=timedelta(days=-1))

    with pytest.raises(StoreTokenError, match=r"refresh token of .* expired"):
        shopify_access_token(db, store)
    assert len(http.calls) == 0


def test_uninstalled_store_has_no_token(db, http):
    store = make_store(db, access_left=timedelta(minutes=30))
    store.status = StoreStatus.UNINSTALLED
    db.commit()

    with pytest.raises(StoreTokenError, match="uninstalled"):
        shopify_access_token(db, store)


def test_store_without_a_token_says_how_to_get_one(db, http):
    store = Store(platform="shopify", domain=SHOP, installed_at=utcnow())
    db.add(store)
    db.commit()

    with pytest.raises(StoreTokenError, match="has no Shopify access token"):
        shopify_access_token(db, store)


def test_new_token_after_the_old_credential_was_deleted_is_saved(db, http):
    store = make_store(db, access_left=timedelta(minutes=30))
    db.delete(store.credential)
    db.commit()

    save_shopify_token(db, store, AccessTokenGrant.from_response(REFRESHED, SHOP))
    db.commit()

    db.expire_all()
    assert (
        unseal(db.get(Store, store.id).credential.access_token_sealed)
        == (REFRESHED["access_token"])
    )
