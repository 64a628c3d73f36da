"""Feedback after delivery: 1 to 5 stars and a comment, once per order, from the tracking page's
form or the order-status block's JSON call."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from plugin.models import utcnow
from plugin.tracking.tables import Feedback
from tests.storefront_helpers import shopify_store
from tests.tracking_helpers import parcel, place_order


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.settings = {"quiet_hours": None}
    db.commit()
    return shop


@pytest.fixture
def delivered(db, store):
    return place_order(
        db, store, shipments=(parcel("820982911946154508", "delivered", delivered_at=utcnow()),)
    )


def feedback_count(db) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(Feedback)))


def test_page_shows_the_form_once_delivered_and_takes_one_answer(client, db, delivered):
    page = client.get(f"/t/{delivered.tracking_token}?rating=4")
    html = page.get_data(as_text=True)
    assert "How did we do?" in html
    assert 'name="rating" value="4" required checked' in html  # from the email's star link
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]

    sent = client.post(
        f"/t/{delivered.tracking_token}/feedback", data={"rating": "4", "comment": " Great! "}
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith("?feedback=thanks#feedback")
    again = client.post(f"/t/{delivered.tracking_token}/feedback", data={"rating": "1"})
    assert again.status_code == 303
    stored = db.scalars(select(Feedback)).all()
    assert [(f.rating, f.comment, f.order_id) for f in stored] == [(4, "Great!", delivered.id)]
    html = client.get(f"/t/{delivered.tracking_token}").get_data(as_text=True)
    assert "You rated this order 4 out of 5." in html and "<form" not in html


def test_bad_rating_is_explained_on_the_page(client, db, delivered):
    sent = client.post(f"/t/{delivered.tracking_token}/feedback", data={"rating": "9"})
    assert sent.status_code == 303 and "feedback_error=" in sent.headers["Location"]
    html = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Choose a rating from 1 to 5 stars." in html
    assert feedback_count(db) == 0


def test_block_sends_json_once_per_order(client, db, delivered):
    url = f"/api/storefront/feedback/{delivered.tracking_token}"
    first = client.post(url, json={"rating": 5, "comment": "Fresh and on time"})
    assert first.status_code == 201 and first.get_json() == {"status": "recorded", "rating": 5}
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    second = client.post(url, json={"rating": 2})
    assert second.status_code == 200 and second.get_json() == {"status": "duplicate", "rating": 5}
    assert feedback_count(db) == 1


def test_block_feedback_rejects_bad_input_and_unknown_links(client, db, delivered):
    url = f"/api/storefront/feedback/{delivered.tracking_token}"
    assert client.post(url, json={"rating": 0}).status_code == 400
    assert client.post(url, json={"rating": 3, "comment": "x" * 2001}).status_code == 400
    assert client.post(url, data="not json").status_code == 400
    assert (
        client.post("/api/storefront/feedback/" + "x" * 32, json={"rating": 3}).status_code == 404
    )
    assert client.options(url).status_code == 204
    assert feedback_count(db) == 0


def test_merchant_can_turn_feedback_off(client, db, store, delivered):
    store.settings = {**store.settings, "feedback_enabled": False}
    db.commit()
    assert "How did we do?" not in client.get(f"/t/{delivered.tracking_token}").get_data(
        as_text=True
    )
    url = f"/api/storefront/feedback/{delivered.tracking_token}"
    assert client.post(url, json={"rating": 5}).status_code == 403


def test_form_is_not_offered_before_delivery(client, db, store):
    order = place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    assert "How did we do?" not in client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
