"""Previews show unsaved branding and templates through the shoppers' own templates, and record
nothing; the test send reports what is missing."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.models import Impression, Store
from tests.admin_helpers import at, log_in, make_admin, make_order, make_shipment, make_store


def arrange(client: FlaskClient, db: Session) -> tuple[Store, str]:
    store = make_store(db, "Corner Shop", settings={"accent_color": "#123456"})
    order = make_order(db, store, 1001, at(2))
    make_shipment(db, store, order, "in_transit", shipped_at=at(3))
    db.commit()
    make_admin(db, "ann@corner.example", [store])
    return store, log_in(client, "ann@corner.example")


def test_branding_preview_uses_the_draft_and_saves_nothing(
    client: FlaskClient, db: Session
) -> None:
    store, csrf = arrange(client, db)
    response = client.post(
        f"/admin/api/stores/{store.public_id}/preview/branding",
        json={
            "accent_color": "#c0ffee",
            "returns_url": "https://corner.example/returns",
            "returns_text": "Free returns within 30 days",
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.json
    assert "#c0ffee" in response.json["block_html"]
    assert "#c0ffee" in response.json["tracking_page_html"]
    assert "https://corner.example/returns" in response.json["tracking_page_html"]
    assert "#1001" in response.json["tracking_page_html"]
    assert "Free returns within 30 days" in response.json["tracking_page_html"]
    assert "Free returns within 30 days" in response.json["block_html"]
    db.expire_all()
    assert db.get_one(Store, store.id).settings == {"accent_color": "#123456"}
    assert db.scalar(select(func.count()).select_from(Impression)) == 0


def test_branding_preview_refuses_what_saving_would_refuse(
    client: FlaskClient, db: Session
) -> None:
    store, csrf = arrange(client, db)
    response = client.post(
        f"/admin/api/stores/{store.public_id}/preview/branding",
        json={"accent_color": "url(javascript:x)"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 400
    assert "accent_color" in response.json["error"]["fields"]


def test_the_branding_page_opens_with_the_saved_look(client: FlaskClient, db: Session) -> None:
    store, _ = arrange(client, db)
    html = client.get(f"/admin/stores/{store.public_id}/branding").get_data(as_text=True)
    assert 'data-preview="page"' in html
    assert "#123456" in html


def test_notification_preview_renders_the_unsaved_template(
    client: FlaskClient, db: Session
) -> None:
    store, csrf = arrange(client, db)
    response = client.post(
        f"/admin/api/stores/{store.public_id}/preview/notification",
        json={
            "milestone": "shipped",
            "subject": "Packed with love: {{ order_name }}",
            "body": "Hi {{ first_name }}, {{ carrier }} has it.",
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.json
    assert response.json["subject"] == "Packed with love: #1001"
    assert "Hi Alex, UPS has it." in response.json["text"]
    assert "UPS has it." in response.json["html"]


def test_notification_preview_names_an_unknown_variable(client: FlaskClient, db: Session) -> None:
    store, csrf = arrange(client, db)
    response = client.post(
        f"/admin/api/stores/{store.public_id}/preview/notification",
        json={"milestone": "shipped", "subject": "Hi {{ nickname }}", "body": "x"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_template"
    assert "nickname" in response.json["error"]["fields"]["subject"][0]


def test_send_test_explains_an_unconfigured_channel(client: FlaskClient, db: Session) -> None:
    store, csrf = arrange(client, db)
    url = f"/admin/api/stores/{store.public_id}/notifications/test"
    response = client.post(
        url,
        json={"channel": "email", "milestone": "shipped", "recipient": "ann@corner.example"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "notification_not_sent"
    assert "SMTP_HOST" in response.json["error"]["message"]
    bad = client.post(
        url,
        json={"channel": "sms", "milestone": "shipped", "recipient": "555-1234"},
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 400
    assert "recipient" in bad.json["error"]["fields"]
