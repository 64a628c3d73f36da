"""The home page and the demo store's pages show the store's real data, or say how to load it."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from sqlalchemy import select

from plugin.demo.loader import load_demo_store
from plugin.demo.store import DEMO_ORDER_KIND
from plugin.models import InboxEvent, InboxStatus, Order, Product, Shipment, utcnow
from tests.demo_helpers import write_small_history

PAGES = ["/", "/demo/products", "/demo/orders", "/demo/webhooks"]


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def loaded(app, tmp_path: Path):
    # 80 orders: more products and orders than fit on one page.
    history = write_small_history(tmp_path / "orders.csv", shoppers=20, orders_each=4)
    return load_demo_store(csv_path=history, progress=lambda _m: None)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_before_the_demo_is_loaded(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "text/html" in response.content_type


@pytest.mark.parametrize("path", ["/", "/demo/products", "/demo/orders"])
def test_an_empty_database_says_how_to_load_the_demo(client, path):
    assert "Run encore demo" in " ".join(text_of(client.get(path)).replace("<code>", "").split())


def test_the_webhook_log_says_when_nothing_arrived_yet(client):
    assert "No events yet" in text_of(client.get("/demo/webhooks"))


def test_home_explains_encore_and_shows_the_demo_figures(client, loaded):
    page = text_of(client.get("/"))
    for words in (
        "Thank-you offers",
        "Order-status tracking",
        "Proactive notifications",
        "Merchant admin",
        "holdout",
        "Fresh Fields Grocer",
        f"{loaded.products:,}",
        f"{loaded.orders:,}",
    ):
        assert words in page
    for card in ("Thank-you block", "Order-status block", "Tracking page", "Admin"):
        assert card in page
    assert "/thank-you" in page and "/order-status" in page and "/t/" in page
    assert "It is still loading" not in page


def test_home_counts_parcels_by_status(client, db, loaded):
    page = text_of(client.get("/"))
    for status in ("Confirmed", "In transit", "Out for delivery", "Delivered"):
        assert status in page
    assert db.scalars(select(Shipment)).first() is not None


def test_home_cards_open_a_real_demo_order(client, db, loaded):
    newest = db.scalars(select(Order).order_by(Order.placed_at.desc())).first()
    assert f"/demo/orders/{newest.platform_order_id}" in text_of(client.get("/"))


def test_products_page_lists_the_catalog_with_prices_and_popularity(client, db, loaded):
    page = text_of(client.get("/demo/products"))
    first = db.scalars(select(Product).order_by(Product.title)).first()
    listed = text_of(client.get("/demo/products?sort=title"))
    assert first.title in listed
    assert f"${first.variants[0].price:,.2f}" in listed
    assert "Times ordered" in page
    assert f"of {loaded.products:,}" in page


def test_products_page_goes_to_the_next_page(client, db, loaded):
    second = text_of(client.get("/demo/products?sort=title&page=2"))
    titles = db.scalars(select(Product.title).order_by(Product.title)).all()
    assert len(titles) > 50
    assert titles[50] in second
    assert titles[0] not in second


def test_products_page_shows_what_is_out_of_stock(client, db, loaded):
    product = db.scalars(select(Product)).first()
    product.variants[0].available = False
    db.commit()
    page = text_of(client.get(f"/demo/products?sort=title&type={product.product_type}&page=1"))
    assert "Out of stock" in page


def test_products_can_be_filtered_by_aisle_and_sorted_by_price(client, db, loaded):
    aisle = db.scalars(select(Product.product_type)).first()
    page = text_of(client.get(f"/demo/products?type={aisle}"))
    others = db.scalars(select(Product.title).where(Product.product_type != aisle)).all()
    assert not any(f">{title}<" in page for title in others)
    cheapest = min(db.scalars(select(Product)).all(), key=lambda p: (p.variants[0].price, p.title))
    assert cheapest.title in text_of(client.get("/demo/products?sort=price")).split("</tr>")[1]


def test_orders_page_lists_the_newest_orders_first(client, db, loaded):
    page = text_of(client.get("/demo/orders"))
    newest = db.scalars(select(Order).order_by(Order.placed_at.desc())).first()
    oldest = db.scalars(select(Order).order_by(Order.placed_at)).first()
    assert newest.name in page
    assert f"${newest.total_price:,.2f}" in page
    assert f"{newest.customer.first_name} {newest.customer.last_name}" in page
    assert f">{oldest.name}<" not in page  # 80 orders: the oldest is on page 2
    assert f">{oldest.name}<" in text_of(client.get("/demo/orders?page=2"))


def test_an_order_page_shows_its_lines_and_parcel_timeline(client, db, loaded):
    shipment = db.scalars(select(Shipment)).first()
    order = shipment.order
    page = text_of(client.get(f"/demo/orders/{order.platform_order_id}"))
    assert order.name in page
    for item in order.line_items:
        assert item.title in page
    assert shipment.carrier in page
    assert shipment.tracking_number in page
    for event in shipment.events:
        assert event.message in page


def test_an_order_from_the_pipeline_says_so(client, db, loaded):
    event = db.scalars(select(InboxEvent).where(InboxEvent.kind == DEMO_ORDER_KIND)).first()
    order_id = event.event_key.removeprefix("demo:")
    page = text_of(client.get(f"/demo/orders/{order_id}"))
    assert "Arrived through the job pipeline" in page


def test_an_unknown_order_is_a_json_404(client, loaded):
    response = client.get("/demo/orders/does-not-exist")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "order_not_found"


def test_an_order_page_without_the_demo_is_a_json_404(client):
    response = client.get("/demo/orders/1")
    assert response.status_code == 404
    assert response.is_json


def test_the_webhook_log_lists_events_newest_first_and_highlights_dead_letters(client, db, loaded):
    db.add(
        InboxEvent(
            event_key="shopify:broken",
            kind="shopify.webhook",
            topic="orders/updated",
            shop_domain="fresh-grocer.myshopify.com",
            body="{}",
            status=InboxStatus.DEAD,
            attempts=8,
            last_error="PayloadError: line_items must be a list\nTraceback (most recent…):",
            received_at=utcnow(),
        )
    )
    db.commit()
    page = text_of(client.get("/demo/webhooks"))
    assert 'class="dead"' in page
    assert "PayloadError: line_items must be a list" in page
    assert "Traceback" not in page
    assert "orders/create" in page and "demo.order" in page
    assert page.index("orders/updated") < page.index("orders/create")
    assert "fresh-grocer.myshopify.com" in page


@pytest.mark.parametrize("page", ["abc", "-4", "0", "99999"])
def test_odd_page_numbers_still_show_a_page(client, loaded, page):
    assert client.get(f"/demo/orders?page={page}").status_code == 200
    assert client.get(f"/demo/products?page={page}&sort=nonsense").status_code == 200
