"""customers/redact erases the shopper everywhere, including the offers they were shown."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Customer, Impression, Store, utcnow
from plugin.offers.tables import OfferExposure
from tests.conftest import SHOP, load_fixture
from tests.privacy_helpers import ERASED, order_with_traces, shopper, traces

REDACTED_SHOPPER = "7012345678901"  # tests/fixtures/shopify/customers_redact.json


def test_customers_redact_unlinks_the_shopper_from_every_offer_shown(
    db: Session, send_shopify_webhook
):
    store = Store(platform="shopify", domain=SHOP, installed_at=utcnow())
    db.add(store)
    db.commit()
    redacted = shopper(db, store, REDACTED_SHOPPER)
    order = order_with_traces(db, store, redacted, "5723942158451", utcnow())
    # Offers shown on the order-status page before the order arrived: no order linked.
    early = Impression(
        store_id=store.id, surface="order_status", platform_customer_id=REDACTED_SHOPPER
    )
    db.add(early)
    db.flush()
    db.add(
        OfferExposure(
            store_id=store.id,
            impression_id=early.id,
            offer_id="o2",
            platform_product_id="1002",
            strategy="popular",
            surface="order_status",
            platform_customer_id=REDACTED_SHOPPER,
        )
    )
    other = shopper(db, store, "42")
    kept = order_with_traces(db, store, other, "9001", utcnow())

    response = send_shopify_webhook(
        "customers/redact", load_fixture("shopify/customers_redact.json")
    )

    assert response.status_code == 200
    assert traces(db, order) == ERASED
    shown_to = set(db.scalars(select(Impression.platform_customer_id)))
    exposed_to = set(db.scalars(select(OfferExposure.platform_customer_id)))
    assert shown_to == {None, "42"} and exposed_to == {None, "42"}
    assert traces(db, kept)["impression shopper"] == "42"
    assert db.get(Customer, redacted.id).redacted_at is not None
