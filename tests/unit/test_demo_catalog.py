"""The demo catalog names every product believably, the same way every time."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from plugin.demo.catalog import (
    AISLE_BY_NAME,
    AISLES,
    ORGANIC_MARKUP,
    STAPLES,
    build_catalog,
    shelf_price,
)
from plugin.demo.history import count_products, read_order_lines

MANY = {str(n): 3 + n % 40 for n in range(10_000, 16_000)}


@pytest.fixture(scope="module")
def many_products():
    return build_catalog(MANY)


def test_the_catalog_is_the_same_on_every_build():
    counts = {str(n): 5 for n in range(20_000, 20_400)}
    shuffled = dict(reversed(list(counts.items())))
    assert build_catalog(counts) == build_catalog(dict(counts)) == build_catalog(shuffled)


def test_only_products_ordered_at_least_three_times_are_in_it():
    catalog = build_catalog({"101": 3, "102": 2, "103": 9, "104": 1})
    assert set(catalog) == {"101", "103"}
    assert catalog["103"].times_ordered == 9


def test_titles_are_unique_and_read_like_groceries(many_products):
    titles = [item.title for item in many_products.values()]
    assert len(titles) == len(set(titles)) == len(MANY)
    for title in titles:
        assert not re.search(r"\bProduct\s*\d+", title)
        assert "{v}" not in title
        assert title == title.strip()
        assert "  " not in title
        assert not title.endswith(",")


def test_prices_stay_within_their_aisles_range(many_products):
    for item in many_products.values():
        aisle = AISLE_BY_NAME[item.product_type]
        low = min(line.price[0] * min(s.price_factor for s in line.sizes) for line in aisle.lines)
        high = max(
            line.price[1] * max(s.price_factor for s in line.sizes) * ORGANIC_MARKUP
            for line in aisle.lines
        )
        assert Decimal("0.49") <= item.price
        assert (
            Decimal(str(low)) - Decimal("0.10")
            <= item.price
            <= Decimal(str(high)) + Decimal("0.10")
        )
        assert item.price.as_tuple().exponent == -2
        assert str(item.price).endswith("9")


def test_some_products_are_on_sale_and_cost_more_without_it(many_products):
    on_sale = [item for item in many_products.values() if item.compare_at_price is not None]
    assert 0.05 < len(on_sale) / len(many_products) < 0.2
    assert all(item.compare_at_price > item.price for item in on_sale)


def test_about_three_percent_are_out_of_stock(many_products):
    out = [item for item in many_products.values() if not item.available]
    assert 0.015 < len(out) / len(many_products) < 0.05


def test_every_aisle_is_stocked(many_products):
    types = {item.product_type for item in many_products.values()}
    assert types == {aisle.name for aisle in AISLES}
    vendors = {item.vendor for item in many_products.values()}
    assert len(vendors) > 30


def test_the_most_ordered_products_are_named_staples():
    catalog = build_catalog({"24852": 1216, "21137": 679, "27845": 356, "777777": 4})
    assert catalog["24852"].title == "Bananas, per lb"
    assert catalog["24852"].price == Decimal("0.69")
    assert catalog["21137"].compare_at_price == Decimal("5.99")
    assert catalog["27845"].product_type == "Dairy & Eggs"
    assert all(catalog[pid].available for pid in ("24852", "21137", "27845"))
    assert len(STAPLES) >= 20


def test_pictures_are_inline_svg_tiles(many_products):
    for item in list(many_products.values())[:200]:
        assert item.image_url.startswith("data:image/svg+xml,")
        assert "https:" not in item.image_url
        assert len(item.image_url) < 1024  # fits Product.image_url


def test_handles_are_url_safe():
    item = build_catalog({"24852": 5})["24852"]
    assert item.handle == "bananas-per-lb"


@pytest.mark.parametrize(
    ("amount", "price"),
    [(3.12, "3.09"), (3.16, "3.19"), (0.1, "0.49"), (12.0, "11.99"), (4.96, "4.99")],
)
def test_shelf_prices_end_in_nine_cents(amount, price):
    assert shelf_price(amount) == Decimal(price)


def test_the_bundled_history_gives_a_catalog_of_unique_names():
    counts = count_products(read_order_lines())
    catalog = build_catalog(counts)
    assert len(catalog) == sum(1 for n in counts.values() if n >= 3) == 4977
    assert len({item.title for item in catalog.values()}) == len(catalog)
    assert catalog["24852"].title == "Bananas, per lb"
