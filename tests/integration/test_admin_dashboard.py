"""The dashboard page and its JSON show the figures analytics computes for the chosen period."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.admin_helpers import log_in, make_admin, make_store
from tests.unit.test_analytics_holdout import arrange_history

FIRST_WEEK = {"period": "custom", "from": "2026-11-01", "to": "2026-11-07"}


def test_dashboard_json_of_a_custom_period(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    arrange_history(db, store)
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")

    body = client.get(
        f"/admin/api/stores/{store.public_id}/dashboard", query_string=FIRST_WEEK
    ).json
    assert body["period"]["from"] == "2026-11-01" and body["period"]["to"] == "2026-11-07"
    assert body["period"]["start"] == "2026-11-01T00:00:00Z"
    # 4 first showings, a tracking-page revisit, a repeat of an October order, a cart showing
    assert body["offers"]["impressions"] == 7
    holdout = body["revenue_per_order_vs_holdout"]
    assert holdout["treatment"] == {"orders": 4, "revenue_per_order": 15.0}
    assert holdout["control"] == {"orders": 3, "revenue_per_order": 5.0}
    assert round(holdout["difference"]["low"], 3) == -3.859
    assert round(holdout["difference"]["high"], 3) == 23.859
    assert holdout["method"] == "welch_normal_approximation"
    assert len(body["offers"]["daily"]) == 7


def test_dashboard_page_draws_figures_and_charts(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    arrange_history(db, store)
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    html = client.get(f"/admin/stores/{store.public_id}/", query_string=FIRST_WEEK).get_data(
        as_text=True
    )
    assert "Nov 1, 2026 to Nov 7, 2026" in html
    assert html.count("<polyline") == 3
    assert "+$10.00" in html  # the difference per order
    assert "$-3.86 to $23.86" in html


def test_a_period_that_makes_no_sense_is_a_400(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/dashboard"
    for query in (
        {"period": "custom", "from": "2026-11-01"},
        {"period": "custom", "from": "2025-01-01", "to": "2026-11-01"},
        {"period": "yesterday"},
        {"period": "custom", "from": "tomorrow", "to": "2026-11-01"},
    ):
        response = client.get(url, query_string=query)
        assert response.status_code == 400, query
        assert response.json["error"]["code"] == "invalid_input"
    page = client.get(f"/admin/stores/{store.public_id}/?period=yesterday")
    assert page.status_code == 400
    assert "not valid" in page.get_data(as_text=True)
