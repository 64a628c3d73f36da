"""Settings through `/admin/api/stores/<id>/settings`: validated, CSRF-protected, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin.models import Store
from tests.admin_helpers import log_in, make_admin, make_product, make_store


@pytest.fixture
def store(db: Session) -> Store:
    store = make_store(db, "Corner Shop", settings={"accent_color": "#123456"})
    for product_id, title in (("101", "Oat milk"), ("102", "Rye bread"), ("103", "Honey")):
        make_product(db, store, product_id, title)
    db.commit()
    make_admin(db, "ann@corner.example", [store])
    return store


@pytest.fixture
def csrf(client: FlaskClient, store: Store) -> str:
    return log_in(client, "ann@corner.example")


def patch(client: FlaskClient, store: Store, body: Any, token: str | None) -> Any:
    headers = {"X-CSRF-Token": token} if token else {}
    return client.patch(f"/admin/api/stores/{store.public_id}/settings", json=body, headers=headers)


def stored(db: Session, store: Store) -> dict[str, Any]:
    db.expire_all()
    return dict(db.get_one(Store, store.id).settings)


def test_a_change_is_saved_and_answered_with_the_settings_in_force(
    client: FlaskClient, db: Session, store: Store, csrf: str
) -> None:
    response = patch(
        client,
        store,
        {
            "accent_color": "#aa3300",
            "offers_enabled": {"thank_you": True, "order_status": False},
            "holdout_share": 0.2,
            "pinned_offers": [
                {"product_id": "101", "trigger_product_ids": ["102"], "discount_percent": 15}
            ],
            "excluded_product_ids": ["103"],
        },
        csrf,
    )
    assert response.status_code == 200, response.json
    settings = stored(db, store)
    assert settings["accent_color"] == "#aa3300"
    assert settings["offers_enabled"] == {"thank_you": True, "order_status": False}
    assert settings["holdout_share"] == 0.2
    pin = settings["pinned_offers"][0]
    assert pin["product_id"] == "101" and pin["discount_percent"] == 15
    assert pin["surfaces"] == ["thank_you", "order_status"] and pin["active"] is True
    assert len(pin["id"]) == 8
    assert settings["excluded_product_ids"] == ["103"]
    in_force = response.json["settings"]
    assert in_force["frequency_cap"] == {"max_impressions": 3, "days": 7}  # a default, unsaved
    assert in_force["tracking_page_title"] == "Track your order"


def test_without_csrf_token_nothing_changes(
    client: FlaskClient, db: Session, store: Store, csrf: str
) -> None:
    for token in (None, "forged-token"):
        response = patch(client, store, {"accent_color": "#000000"}, token)
        assert response.status_code == 403
        assert response.json["error"]["code"] == "csrf_failed"
    assert stored(db, store)["accent_color"] == "#123456"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"accent_color": "red"}, "accent_color"),
        ({"logo_url": "http://insecure.example/logo.png"}, "logo_url"),
        ({"logo_url": "javascript:alert(1)"}, "logo_url"),
        ({"holdout_share": 0.9}, "holdout_share"),
        ({"offer_discount_percent": 95}, "offer_discount_percent"),
        ({"attribution_window_days": 0}, "attribution_window_days"),
        ({"frequency_cap": {"max_impressions": 3}}, "frequency_cap"),
        ({"offers_enabled": {"thank_you": "sometimes", "order_status": True}}, "offers_enabled"),
        ({"quiet_hours": {"start": "25:00", "end": "08:00"}}, "quiet_hours"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"support_email": "not-an-email"}, "support_email"),
        ({"tracking_page_title": "x" * 81}, "tracking_page_title"),
        ({"notifications": {"email": {"teleported": True}}}, "notifications"),
        (
            {"email_templates": {"shipped": {"subject": "Hi {{ name", "body": "x"}}},
            "email_templates",
        ),
        ({"pinned_offers": [{"product_id": "101", "surfaces": []}]}, "pinned_offers"),
        ({"excluded_product_ids": ["101", "101"]}, "excluded_product_ids"),
        ({"colour": "#ffffff"}, "colour"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_changes_nothing(
    client: FlaskClient, db: Session, store: Store, csrf: str, body: dict[str, Any], field: str
) -> None:
    before = stored(db, store)
    response = patch(client, store, {**body, "returns_text": "Free returns"}, csrf)
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] == "invalid_input"
    assert field in error["fields"]
    assert stored(db, store) == before


def test_products_must_belong_to_the_store(
    client: FlaskClient, db: Session, store: Store, csrf: str
) -> None:
    other = make_store(db, "Rival Shop")
    make_product(db, other, "999", "Rival's product")
    db.commit()
    response = patch(
        client,
        store,
        {"pinned_offers": [{"product_id": "999"}], "excluded_product_ids": ["101", "555"]},
        csrf,
    )
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "unknown_product"
    assert error["fields"] == {
        "pinned_offers.0": ["No product 999 in this store."],
        "excluded_product_ids": ["No product 555 in this store."],
    }
    assert "pinned_offers" not in stored(db, store)


def test_null_restores_the_default_but_null_quiet_hours_means_none(
    client: FlaskClient, db: Session, store: Store, csrf: str
) -> None:
    response = patch(client, store, {"accent_color": None, "quiet_hours": None}, csrf)
    assert response.status_code == 200
    settings = stored(db, store)
    assert "accent_color" not in settings
    assert settings["quiet_hours"] is None
    assert response.json["settings"]["accent_color"] == "#1f5f8b"
    assert response.json["settings"]["quiet_hours"] is None


def test_one_milestone_changes_without_touching_the_others(
    client: FlaskClient, db: Session, store: Store, csrf: str
) -> None:
    patch(client, store, {"notifications": {"sms": {"shipped": True}}}, csrf)
    patch(client, store, {"notifications": {"sms": {"delivered": True}}}, csrf)
    template = {"subject": "On its way: {{ order_name }}", "body": "Hi {{ first_name }}"}
    response = patch(client, store, {"email_templates": {"shipped": template}}, csrf)
    settings = stored(db, store)
    assert settings["notifications"] == {"sms": {"shipped": True, "delivered": True}}
    assert settings["email_templates"] == {"shipped": template}
    sms = response.json["settings"]["notifications"]["sms"]
    assert sms == {"shipped": True, "out_for_delivery": False, "delivered": True, "delayed": False}


def test_a_body_that_is_not_a_json_object_is_refused(
    client: FlaskClient, store: Store, csrf: str
) -> None:
    response = client.patch(
        f"/admin/api/stores/{store.public_id}/settings",
        data="accent_color=#fff",
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"


def test_product_search_finds_by_title_or_id(client: FlaskClient, store: Store, csrf: str) -> None:
    found = client.get(f"/admin/api/stores/{store.public_id}/products?q=oat").json["products"]
    assert found == [{"product_id": "101", "title": "Oat milk"}]
    by_id = client.get(f"/admin/api/stores/{store.public_id}/products?q=103").json["products"]
    assert by_id == [{"product_id": "103", "title": "Honey"}]
