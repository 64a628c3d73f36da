"""The demo store in a real browser: home, thank-you and order-status blocks, tracking page."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.demo.loader import load_demo_store
from plugin.models import Order, Shipment
from tests.browser.conftest import LiveServer, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def demo(app: Flask, db: Session) -> Order:
    """A demo store from the first 600 orders; returns an order with a parcel on its way."""
    load_demo_store(progress=lambda _line: None, max_orders=600)
    order = db.scalar(select(Order).join(Shipment).order_by(Order.placed_at.desc()).limit(1))
    assert order is not None
    return order


def test_home_page_explains_encore_and_links_every_surface(
    page: Any, live_server: LiveServer, demo: Order
) -> None:
    page.goto(live_server.url + "/")
    assert "Encore makes the moment after checkout count" in page.inner_text("h1")
    for link in ("Thank-you view of", "Order-status view of", "Tracking page of"):
        assert page.get_by_text(link).count() == 1, link
    save_screenshot(page, "home")


def test_thank_you_view_shows_up_to_three_offers_not_in_the_order(
    page: Any, live_server: LiveServer, demo: Order
) -> None:
    page.goto(f"{live_server.url}/demo/orders/{demo.platform_order_id}/thank-you")
    cards = page.locator("[data-testid=block-preview] li.encore-offer")
    assert 1 <= cards.count() <= 3
    ordered = {line.title for line in demo.line_items}
    titles = cards.locator(".encore-offer__title").all_inner_texts()
    assert not ordered & set(titles)
    assert page.locator("a.encore-offer__add").first.get_attribute("href").startswith("https://")
    save_screenshot(page, "thank-you-block")


def test_order_status_view_shows_the_parcel_timeline(
    page: Any, live_server: LiveServer, demo: Order
) -> None:
    page.goto(f"{live_server.url}/demo/orders/{demo.platform_order_id}/order-status")
    assert page.locator(".encore-timeline li").count() >= 4
    assert page.locator(".encore-shipment").count() >= 1
    save_screenshot(page, "order-status-block")


def test_tracking_page_shows_timeline_and_offers(
    page: Any, live_server: LiveServer, demo: Order
) -> None:
    response = page.goto(f"{live_server.url}/t/{demo.tracking_token}")
    assert response.status == 200
    assert demo.name in page.inner_text("body")
    assert page.locator(".encore-timeline li[aria-current=step]").count() == 1
    assert page.locator(".encore-events__item").count() >= 1
    assert page.locator("li.encore-offer").count() >= 1
    page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(page, "tracking-page")


def test_webhook_log_shows_the_events_the_pipeline_processed(
    page: Any, live_server: LiveServer, demo: Order
) -> None:
    page.goto(live_server.url + "/demo/webhooks")
    assert "orders/create" in page.inner_text("table")
    save_screenshot(page, "webhook-log")
