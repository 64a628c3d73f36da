"""The health page: inbox backlog, dead letters (replayed per store only), token status."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.models import InboxEvent, InboxStatus, Store, StoreCredential, utcnow
from tests.admin_helpers import log_in, make_admin, make_store


def inbox(db: Session, store: Store, key: str, status: str) -> InboxEvent:
    event = InboxEvent(
        event_key=key,
        kind="woocommerce.webhook",
        topic="order.updated",
        store_id=store.id,
        body="{}",
        status=status,
        attempts=8 if status == InboxStatus.DEAD else 0,
        last_error="KeyError: 'line_items'" if status == InboxStatus.DEAD else None,
        received_at=utcnow() - timedelta(hours=2),
        finished_at=utcnow() if status == InboxStatus.DEAD else None,
    )
    db.add(event)
    db.commit()
    return event


def test_health_counts_this_stores_backlog_and_dead_letters(
    client: FlaskClient, db: Session
) -> None:
    store, other = make_store(db, "Corner Shop"), make_store(db, "Rival Shop")
    for n in range(3):
        inbox(db, store, f"pending-{n}", InboxStatus.PENDING)
    inbox(db, store, "dead-1", InboxStatus.DEAD)
    inbox(db, other, "dead-2", InboxStatus.DEAD)
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")

    report = client.get(f"/admin/api/stores/{store.public_id}/health").json
    assert report["inbox"]["pending"] == 3
    assert report["inbox"]["dead"] == 1
    assert [d["topic"] for d in report["dead_letters"]] == ["order.updated"]
    page = client.get(f"/admin/stores/{store.public_id}/health").get_data(as_text=True)
    assert "KeyError" in page
    assert "Replay all 1" in page


def test_replay_requeues_only_this_stores_dead_letters(client: FlaskClient, db: Session) -> None:
    store, other = make_store(db, "Corner Shop"), make_store(db, "Rival Shop")
    mine = inbox(db, store, "dead-mine", InboxStatus.DEAD)
    theirs = inbox(db, other, "dead-theirs", InboxStatus.DEAD)
    make_admin(db, "ann@corner.example", [store])
    csrf = log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/dead-letters/replay"

    refused = client.post(url, json={"ids": [mine.id, theirs.id]}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 404
    assert refused.json["error"]["fields"] == {"ids": [f"No dead letter {theirs.id}."]}
    db.expire_all()
    assert db.get_one(InboxEvent, mine.id).status == InboxStatus.DEAD

    assert client.post(url, json={"all": True}).status_code == 403  # no CSRF token
    done = client.post(url, json={"all": True}, headers={"X-CSRF-Token": csrf})
    assert done.json == {"replayed": 1}
    db.expire_all()
    assert db.get_one(InboxEvent, mine.id).status == InboxStatus.PENDING
    assert db.get_one(InboxEvent, mine.id).attempts == 0
    assert db.get_one(InboxEvent, theirs.id).status == InboxStatus.DEAD

    again = client.post(url, json={"all": True}, headers={"X-CSRF-Token": csrf})
    assert again.json == {"replayed": 0}
    db.expire_all()
    assert db.get_one(InboxEvent, theirs.id).status == InboxStatus.DEAD


def test_replay_needs_ids_or_all(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    make_admin(db, "ann@corner.example", [store])
    csrf = log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/dead-letters/replay"
    for body in ({}, {"ids": []}, {"ids": ["x"]}):
        response = client.post(url, json=body, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 400, body


def test_token_status_of_a_shopify_store(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "grocer", platform="shopify", domain="grocer.myshopify.com")
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/health"
    assert client.get(url).json["token"]["state"] == "missing"
    assert "webhooks" in client.get(url).json
    assert "ORDERS_CREATE" in client.get(url).json["missing_topics"]
    store.credential = StoreCredential(
        access_token_sealed=seal("shpat_x"),
        access_expires_at=utcnow() - timedelta(minutes=1),
        refresh_token_sealed=seal("shprt_x"),
    )
    db.commit()
    assert client.get(url).json["token"]["state"] == "refresh_due"
    store.credential.access_expires_at = utcnow() + timedelta(hours=1)
    db.commit()
    assert client.get(url).json["token"]["state"] == "ok"
