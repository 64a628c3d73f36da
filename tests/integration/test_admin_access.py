"""Who may open a store's admin: the auth matrix, Shopify embedding and the first-load install."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import responses
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.models import Store, StoreCredential, utcnow
from tests.admin_helpers import log_in, make_admin, make_store
from tests.conftest import SHOP, load_fixture
from tests.shopify_helpers import (
    FakeShopifyAdmin,
    admin_id_token,
    calls_to,
    mocked_http,
    token_url,
)

OTHER_SHOP = "other-grocer.myshopify.com"
EXCHANGED = load_fixture("shopify/oauth_token_exchange.json")


def installed_shop(db: Session, shop: str = SHOP) -> Store:
    store = make_store(db, shop.split(".")[0], platform="shopify", domain=shop)
    store.credential = StoreCredential(access_token_sealed=seal("shpat_admin_test"))
    db.commit()
    return store


def bearer(shop: str = SHOP, **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_id_token(shop, **claims)}"}


@pytest.fixture
def no_network() -> Iterator[responses.RequestsMock]:
    """Any call to Shopify fails the test: registered routes only, none registered."""
    with mocked_http() as mock:
        yield mock


# ---- password admins ---------------------------------------------------------------------


def test_api_without_credentials_is_401(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    response = client.get(f"/admin/api/stores/{store.public_id}/settings")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "not_logged_in"
    assert set(response.json["error"]) == {"code", "message", "fields"}


def test_page_without_credentials_goes_to_the_login_form(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    response = client.get(f"/admin/stores/{store.public_id}/offers")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=/admin/stores/")


def test_an_admin_sees_their_store_and_not_another(client: FlaskClient, db: Session) -> None:
    mine, theirs = make_store(db, "Corner Shop"), make_store(db, "Rival Shop")
    make_admin(db, "ann@corner.example", [mine])
    make_admin(db, "bob@rival.example", [theirs])
    log_in(client, "ann@corner.example")

    assert client.get(f"/admin/api/stores/{mine.public_id}/settings").status_code == 200
    refused = client.get(f"/admin/api/stores/{theirs.public_id}/settings")
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "not_your_store"
    page = client.get(f"/admin/stores/{theirs.public_id}/")
    assert page.status_code == 403
    assert "Not your store" in page.get_data(as_text=True)
    listed = client.get("/admin/api/stores").json["stores"]
    assert [s["id"] for s in listed] == [mine.public_id]


def test_an_unknown_store_is_404(client: FlaskClient, db: Session) -> None:
    make_admin(db, "ann@corner.example", [make_store(db, "Corner Shop")])
    log_in(client, "ann@corner.example")
    assert client.get("/admin/api/stores/no-such-store/settings").status_code == 404


def test_password_admin_pages_cannot_be_framed(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    response = client.get(f"/admin/stores/{store.public_id}/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "private, no-store"


# ---- Shopify embedded --------------------------------------------------------------------


def test_shopify_id_token_opens_its_own_store(
    client: FlaskClient, db: Session, no_network: responses.RequestsMock
) -> None:
    store = installed_shop(db)
    response = client.get(f"/admin/api/stores/{store.public_id}/settings", headers=bearer())
    assert response.status_code == 200
    assert (
        "frame-ancestors https://fresh-grocer.myshopify.com https://admin.shopify.com"
        in (response.headers["Content-Security-Policy"])
    )


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Authorization": "Bearer not-a-jwt"}, "invalid_session_token"),
        (bearer(secret="someone-elses-secret"), "invalid_session_token"),
        (bearer(aud="another-app"), "invalid_session_token"),
        (bearer(iss="https://evil.myshopify.com/admin"), "invalid_session_token"),
        (bearer(exp=1), "invalid_session_token"),
    ],
    ids=["garbage", "wrong-secret", "wrong-audience", "wrong-issuer", "expired"],
)
def test_a_bad_id_token_is_401(
    client: FlaskClient, db: Session, headers: dict[str, str], code: str
) -> None:
    store = installed_shop(db)
    response = client.get(f"/admin/api/stores/{store.public_id}/settings", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == code


def test_another_shops_token_is_403(client: FlaskClient, db: Session) -> None:
    store = installed_shop(db)
    installed_shop(db, OTHER_SHOP)
    response = client.get(
        f"/admin/api/stores/{store.public_id}/settings", headers=bearer(OTHER_SHOP)
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "wrong_shop"


def test_a_shopify_token_cannot_open_a_woocommerce_store(client: FlaskClient, db: Session) -> None:
    installed_shop(db)
    woo = make_store(db, "Corner Shop")
    response = client.get(f"/admin/api/stores/{woo.public_id}/settings", headers=bearer())
    assert response.status_code == 403


def test_a_password_admin_cannot_use_their_session_on_a_shopify_store(
    client: FlaskClient, db: Session
) -> None:
    shop = installed_shop(db)
    make_admin(db, "ann@corner.example", [make_store(db, "Corner Shop")])
    log_in(client, "ann@corner.example")
    assert client.get(f"/admin/api/stores/{shop.public_id}/settings").status_code == 403


def test_first_embedded_load_installs_the_shop_then_later_loads_call_nothing(
    client: FlaskClient, db: Session
) -> None:
    with mocked_http() as http:
        http.add(responses.POST, token_url(), json=EXCHANGED)
        FakeShopifyAdmin(http)
        first = client.get(
            "/admin/", query_string={"shop": SHOP, "host": "YWRtaW4", "id_token": admin_id_token()}
        )
        assert len(calls_to(http, token_url())) == 1
    store = db.scalar(select(Store).where(Store.domain == SHOP))
    assert store is not None and store.credential is not None
    assert first.status_code == 302
    assert f"/admin/stores/{store.public_id}/" in first.headers["Location"]
    assert "shop=fresh-grocer.myshopify.com" in first.headers["Location"]

    with mocked_http() as silent:  # an installed shop: no token request, no webhook listing
        again = client.get(
            f"/admin/stores/{store.public_id}/",
            query_string={"shop": SHOP, "host": "YWRtaW4", "id_token": admin_id_token()},
        )
        assert len(silent.calls) == 0
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert 'name="shopify-api-key"' in html
    assert "cdn.shopify.com/shopifycloud/app-bridge.js" in html
    assert 'name="csrf-token"' not in html


def test_an_expired_refreshable_token_needs_no_new_exchange(
    client: FlaskClient, db: Session, no_network: responses.RequestsMock
) -> None:
    store = installed_shop(db)
    assert store.credential is not None
    store.credential.access_expires_at = utcnow() - timedelta(minutes=5)
    store.credential.refresh_token_sealed = seal("shprt_refresh")
    store.credential.refresh_expires_at = utcnow() + timedelta(days=30)
    db.commit()
    response = client.get(
        f"/admin/stores/{store.public_id}/",
        query_string={"shop": SHOP, "id_token": admin_id_token()},
    )
    assert response.status_code == 200


def test_a_failed_exchange_is_a_502_page_and_installs_nothing(
    client: FlaskClient, db: Session
) -> None:
    with mocked_http() as http:
        http.add(responses.POST, token_url(), status=400, json={"error": "invalid_subject_token"})
        response = client.get("/admin/", query_string={"shop": SHOP, "id_token": admin_id_token()})
    assert response.status_code == 502
    assert db.scalar(select(Store).where(Store.domain == SHOP)) is None


def test_embedded_load_without_a_fresh_token_bounces_through_app_bridge(
    client: FlaskClient, db: Session
) -> None:
    store = installed_shop(db)
    response = client.get(
        f"/admin/stores/{store.public_id}/",
        query_string={"shop": SHOP, "host": "YWRtaW4", "id_token": admin_id_token(exp=1)},
    )
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert 'data-bounce="1"' in html
    assert "app-bridge.js" in html
    assert (
        "frame-ancestors https://fresh-grocer.myshopify.com"
        in (response.headers["Content-Security-Policy"])
    )
