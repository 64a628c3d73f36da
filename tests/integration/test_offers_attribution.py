"""Attribution: a later order of the shopper (or with the offer's code) that bought the offer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from plugin.models import OfferEvent, utcnow
from plugin.offers.attribution import net_revenue
from plugin.offers.tables import DiscountCode, OfferConversion
from tests.conftest import load_fixture
from tests.offers_helpers import arm, line, place_order, settings, show
from tests.storefront_helpers import shopify_store

NOW = utcnow()


@pytest.fixture
def store(db):
    return shopify_store(db)


def conversions(db) -> list[OfferConversion]:
    db.expire_all()
    return list(db.scalars(select(OfferConversion).order_by(OfferConversion.id)))


def test_a_later_order_of_the_shopper_with_the_offered_product_converts(db, store):
    shown = show(
        db, store, ["1002", "1003"], customer_id="7001", order_id="600", at=NOW - timedelta(days=3)
    )
    order = place_order(
        db,
        store,
        "601",
        [line("1002", 2, "4.50"), line("1009")],
        customer_id="7001",
        placed_at=NOW - timedelta(days=1),
    )
    (conversion,) = conversions(db)
    assert (conversion.impression_id, conversion.offer_id) == (shown.id, "popular:1002")
    assert (conversion.order_id, conversion.platform_product_id) == (order.id, "1002")
    assert (conversion.strategy, conversion.surface, conversion.currency) == (
        "popular",
        "thank_you",
        "USD",
    )
    assert conversion.revenue == Decimal("9.00") and conversion.refunded == 0
    assert conversion.converted_at == order.placed_at
    assert net_revenue(conversion) == Decimal("9.00")


def test_an_order_after_the_window_does_not_convert(db, store):
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=15))
    place_order(db, store, "601", [line("1002")], customer_id="7001", placed_at=NOW)
    assert conversions(db) == []


def test_the_window_is_the_stores_setting(db, store):
    settings(db, store, attribution_window_days=30)
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=15))
    place_order(db, store, "601", [line("1002")], customer_id="7001", placed_at=NOW)
    assert len(conversions(db)) == 1


def test_an_order_placed_before_the_showing_does_not_convert(db, store):
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW)
    place_order(
        db, store, "599", [line("1002")], customer_id="7001", placed_at=NOW - timedelta(hours=1)
    )
    assert conversions(db) == []


def test_another_shopper_or_another_product_does_not_convert(db, store):
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=1))
    place_order(db, store, "601", [line("1002")], customer_id="7002", placed_at=NOW)
    place_order(db, store, "602", [line("1003")], customer_id="7001", placed_at=NOW)
    assert conversions(db) == []


def test_a_later_refund_is_kept_beside_the_revenue(db, store):
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=2))
    placed = NOW - timedelta(days=1)
    place_order(
        db,
        store,
        "601",
        [line("1002", 3, "4.00")],
        customer_id="7001",
        placed_at=placed,
        updated_at=placed,
    )
    refunded = [line("1002", 3, "4.00", refunded_quantity=1, refunded_amount="4.00")]
    place_order(db, store, "601", refunded, customer_id="7001", placed_at=placed, updated_at=NOW)
    (conversion,) = conversions(db)
    assert (conversion.revenue, conversion.refunded) == (Decimal("12.00"), Decimal("4.00"))
    assert net_revenue(conversion) == Decimal("8.00")


@pytest.mark.parametrize(
    "ending",
    [
        pytest.param({"status": "cancelled", "cancelled_at": NOW}, id="cancelled"),
        # WooCommerce order webhooks say "refunded" but carry no per-line refund amounts.
        pytest.param({"status": "refunded"}, id="fully-refunded-without-refund-lines"),
    ],
)
def test_a_cancelled_or_fully_refunded_order_earns_nothing(db, store, ending):
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=2))
    placed = NOW - timedelta(days=1)
    place_order(
        db, store, "601", [line("1002")], customer_id="7001", placed_at=placed, updated_at=placed
    )
    place_order(
        db,
        store,
        "601",
        [line("1002")],
        customer_id="7001",
        placed_at=placed,
        updated_at=NOW,
        **ending,
    )
    (conversion,) = conversions(db)
    assert conversion.refunded == conversion.revenue
    assert net_revenue(conversion) == 0


def test_replays_and_updates_never_count_twice(db, store):
    show(db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=2))
    show(
        db, store, ["1002"], customer_id="7001", order_id="600", at=NOW - timedelta(days=2)
    )  # a reload
    for _ in range(3):
        place_order(
            db, store, "601", [line("1002")], customer_id="7001", placed_at=NOW - timedelta(days=1)
        )
    assert len(conversions(db)) == 1
    assert arm(db, store, "popular")["conversions"] == 1


def test_a_guest_who_used_the_offers_code_converts(db, store):
    db.add(
        DiscountCode(
            store_id=store.id,
            code="ENCORE10-7KQ2M9XZ",
            percent=10,
            starts_at=NOW - timedelta(days=5),
            ends_at=NOW + timedelta(days=25),
        )
    )
    db.commit()
    show(db, store, ["1002"], order_id="600", code="ENCORE10-7KQ2M9XZ", at=NOW - timedelta(days=3))
    latest = show(
        db, store, ["1002"], order_id="700", code="ENCORE10-7KQ2M9XZ", at=NOW - timedelta(days=2)
    )
    place_order(db, store, "601", [line("1002")], codes=["encore10-7kq2m9xz"], placed_at=NOW)
    (conversion,) = conversions(db)
    assert conversion.impression_id == latest.id


def test_a_code_that_is_not_encores_proves_nothing(db, store):
    show(db, store, ["1002"], order_id="600", code="ENCORE10-7KQ2M9XZ", at=NOW - timedelta(days=3))
    place_order(db, store, "601", [line("1002")], codes=["ENCORE10-7KQ2M9XZ"], placed_at=NOW)
    assert conversions(db) == []  # no such code was ever created for this store


def test_the_clicked_showing_earns_the_conversion(db, store):
    clicked = show(
        db,
        store,
        ["1002"],
        customer_id="7001",
        order_id="600",
        strategy="learned",
        at=NOW - timedelta(days=3),
    )
    show(db, store, ["1002"], customer_id="7001", order_id="700", at=NOW - timedelta(days=2))
    db.add(OfferEvent(impression_id=clicked.id, offer_id="learned:1002", type="click"))
    db.commit()
    place_order(db, store, "601", [line("1002")], customer_id="7001", placed_at=NOW)
    (conversion,) = conversions(db)
    assert (conversion.impression_id, conversion.strategy) == (clicked.id, "learned")
    stats = arm(db, store, "learned")
    assert stats["conversions"] == 1 and stats["successes"] == 0  # the click was the success


def test_a_conversion_is_a_success_for_its_strategy(db, store):
    show(
        db, store, ["1002", "1003"], customer_id="7001", order_id="600", at=NOW - timedelta(days=1)
    )
    place_order(db, store, "601", [line("1002")], customer_id="7001", placed_at=NOW)
    assert arm(db, store, "popular") == {"shown": 2, "clicks": 0, "conversions": 1, "successes": 1}


def test_shopify_order_and_its_later_refund_through_webhooks(db, store, send_shopify_webhook):
    customer = "7012345678901"  # the fixtures' customer and strawberries (8123456789001)
    show(
        db,
        store,
        ["8123456789001"],
        customer_id=customer,
        order_id="5700000000001",
        at=datetime(2026, 11, 18, tzinfo=UTC),
    )
    assert (
        send_shopify_webhook(
            "orders/create", load_fixture("shopify/orders_create.json")
        ).status_code
        == 200
    )
    (conversion,) = conversions(db)
    assert (conversion.revenue, conversion.refunded) == (Decimal("9.98"), Decimal("0"))  # 2 x 4.99

    update = load_fixture("shopify/orders_updated_refund.json")
    assert send_shopify_webhook("orders/updated", update).status_code == 200
    (conversion,) = conversions(db)
    assert (conversion.revenue, conversion.refunded) == (Decimal("9.98"), Decimal("4.99"))
    assert net_revenue(conversion) == Decimal("4.99")
