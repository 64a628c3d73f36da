"""Amounts read back the same on every engine, so pages, JSON and exports never differ."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Platform, Product, Store, Variant


@pytest.mark.parametrize(
    ("stored", "read_back"),
    [
        ("29.46", "29.46"),
        ("29", "29.00"),
        ("7.5", "7.50"),
        ("0.125", "0.125"),
        ("12.34565", "12.3457"),  # four places kept, the fifth rounded half up
        ("1000.0000", "1000.00"),
    ],
)
def test_a_price_reads_back_in_one_form_on_every_engine(
    db: Session, stored: str, read_back: str
) -> None:
    store = Store(platform=Platform.SHOPIFY, domain="fresh-grocer.myshopify.com")
    db.add(store)
    db.flush()
    product = Product(store_id=store.id, platform_product_id="1", title="Oat milk")
    db.add(product)
    db.flush()
    price = Decimal(stored)
    db.add(Variant(store_id=store.id, product_id=product.id, platform_variant_id="11", price=price))
    db.commit()
    db.expire_all()
    assert str(db.scalar(select(Variant.price))) == read_back
