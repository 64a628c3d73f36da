"""CSV exports of a period: rows for a spreadsheet, and nothing that runs there."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin.models import Surface
from tests.admin_helpers import (
    at,
    log_in,
    make_admin,
    make_order,
    make_shipment,
    make_store,
    shopper_event,
    show,
)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_impressions_and_shipments_of_the_period(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    order = make_order(db, store, 1001, at(2))
    shown = show(db, store, at(2, 9), ["p1", "p2"], order=order)
    shopper_event(db, shown, "p1")
    show(db, store, at(3, 9), order=order, surface=Surface.TRACKING_PAGE, in_holdout=True)
    show(db, store, at(20, 9), ["p3"])  # outside the period
    make_shipment(db, store, order, "delivered", shipped_at=at(3), delivered_at=at(5))
    db.commit()
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    period = {"period": "custom", "from": "2026-11-01", "to": "2026-11-07"}

    response = client.get(
        f"/admin/stores/{store.public_id}/export/impressions.csv", query_string=period
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "encore-impressions-20261101-20261107.csv" in response.headers["Content-Disposition"]
    table = rows(response.get_data(as_text=True))
    assert table[0][:3] == ["impression_id", "shown_at", "surface"]
    assert [(r[1], r[2], r[3], r[6], r[7], r[8], r[9]) for r in table[1:]] == [
        ("2026-11-02T09:00:00Z", "thank_you", "#1001", "no", "2", "p1 p2", "1"),
        ("2026-11-03T09:00:00Z", "tracking_page", "#1001", "yes", "0", "", "0"),
    ]

    shipments = rows(
        client.get(
            f"/admin/stores/{store.public_id}/export/shipments.csv", query_string=period
        ).get_data(as_text=True)
    )
    assert shipments[1] == [
        "#1001",
        "2026-11-02T12:00:00Z",
        "UPS",
        "1Z1001",
        "delivered",
        "2026-11-03T12:00:00Z",
        "",
        "2026-11-05T12:00:00Z",
    ]


def test_shopper_text_cannot_become_a_spreadsheet_formula(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    order = make_order(db, store, 1001, at(2))
    order.name = '=HYPERLINK("https://evil.example")'
    show(db, store, at(2, 9), ["p1"], order=order)
    db.commit()
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    text = client.get(
        f"/admin/stores/{store.public_id}/export/impressions.csv",
        query_string={"period": "custom", "from": "2026-11-01", "to": "2026-11-07"},
    ).get_data(as_text=True)
    assert rows(text)[1][3] == '\'=HYPERLINK("https://evil.example")'


def test_unknown_export_and_bad_period_are_refused(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    base = f"/admin/stores/{store.public_id}/export"
    assert client.get(f"{base}/passwords.csv").status_code == 404
    backwards = {"period": "custom", "from": "2026-11-07", "to": "2026-11-01"}
    assert client.get(f"{base}/impressions.csv", query_string=backwards).status_code == 400
    assert client.get(f"{base}/impressions.csv?period=forever").status_code == 400
