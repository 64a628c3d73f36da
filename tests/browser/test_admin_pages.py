"""The merchant admin in headless Chromium: log in, read the dashboard, change settings, watch the
preview follow, replay a dead letter, download a CSV. Screenshots of each page go to
docs/screenshots/."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.demo.loader import load_demo_store
from plugin.demo.store import find_demo_store
from plugin.jobs.tables import PeriodicRun
from plugin.models import InboxEvent, InboxStatus, Product, Store, utcnow
from tests.admin_helpers import PASSWORD, arrange_recent_activity, make_admin, make_store
from tests.browser.conftest import DOCS, LiveServer, save_screenshot

pytestmark = pytest.mark.browser


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot; the viewport grows first, because Chromium paints a framed
    document (the previews) only where it lies inside the viewport."""
    (DOCS / "screenshots").mkdir(parents=True, exist_ok=True)
    height = int(page.evaluate("() => document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": 1280, "height": max(900, height)})
    page.wait_for_timeout(150)
    save_screenshot(page, f"screenshots/{name}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def demo(app: Flask, db: Session) -> Store:
    """The demo store with a month of offers shown, clicked, attributed, and one dead letter."""
    load_demo_store(progress=lambda _line: None, max_orders=600)
    store = find_demo_store(db)
    assert store is not None
    assert arrange_recent_activity(db, store, utcnow()) > 20
    db.add(
        InboxEvent(
            event_key="demo:broken-payload",
            kind="demo.order",
            topic="orders/create",
            store_id=store.id,
            body="{not json",
            status=InboxStatus.DEAD,
            attempts=3,
            last_error="ValueError: the order payload is not JSON",
            finished_at=utcnow(),
        )
    )
    now = utcnow()
    db.add_all(  # a worker's recent runs, for the health page's background tasks
        [
            PeriodicRun(
                name="tracking.tick",
                leased_until=now + timedelta(minutes=14),
                leased_by="worker-1:4242:5f3a9c1e",
                last_started_at=now - timedelta(minutes=1),
                last_finished_at=now - timedelta(minutes=5),
            ),
            PeriodicRun(
                name="jobs.sweep",
                last_started_at=now - timedelta(seconds=40),
                last_finished_at=now - timedelta(seconds=39),
            ),
            PeriodicRun(
                name="jobs.bury_abandoned",
                last_started_at=now - timedelta(seconds=50),
                last_finished_at=now - timedelta(seconds=50),
            ),
            PeriodicRun(
                name="privacy.retention",
                last_started_at=now - timedelta(hours=5),
                last_finished_at=now - timedelta(hours=5) + timedelta(seconds=12),
            ),
        ]
    )
    db.commit()
    return store


def test_merchant_reads_the_dashboard_changes_settings_and_sees_them_take_effect(
    page: Any, live_server: LiveServer, demo: Store, db: Session
) -> None:
    pinned = db.scalar(
        select(Product).where(Product.store_id == demo.id).order_by(Product.id).limit(1)
    )
    assert pinned is not None
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Open the admin").click()
    assert page.url.startswith(live_server.url + "/admin/login")
    screenshot(page, "admin-login")
    page.get_by_test_id("demo-login").click()

    # Dashboard: figures and inline SVG charts.
    page.wait_for_selector("[data-testid=impressions]")
    assert int(page.get_by_test_id("impressions").inner_text().replace(",", "")) > 0
    assert page.locator("svg.chart polyline").count() == 3
    assert "in the 14 days after" in page.get_by_test_id("holdout").inner_text()
    assert page.get_by_test_id("top-offers").locator("tr").count() > 1
    screenshot(page, "admin-dashboard")

    # Offers: shorten the attribution window, and the dashboard's holdout figure follows.
    page.get_by_role("link", name="Offers", exact=True).click()
    page.fill("#window", "3")
    page.fill("#discount", "15")
    page.get_by_role("button", name="Add a pinned offer").click()
    page.locator("[data-pinned-row] [data-field=product_id]").fill(pinned.platform_product_id)
    page.get_by_role("button", name="Save offers").click()
    page.wait_for_selector("[data-status].saved >> text=Saved.")
    page.reload()
    assert page.input_value("#discount") == "15"
    assert pinned.title in page.locator("[data-pinned-row]").inner_text()
    screenshot(page, "admin-offers")
    page.get_by_role("link", name="Dashboard").click()
    assert "in the 3 days after" in page.get_by_test_id("holdout").inner_text()

    # A bad value is refused with its reason next to the field, and nothing is saved.
    page.get_by_role("link", name="Offers", exact=True).click()
    page.fill("#holdout", "80")
    page.get_by_role("button", name="Save offers").click()
    page.wait_for_selector("[data-status].failed")
    assert page.locator("[data-error-for=holdout_share]").inner_text() != ""

    # Branding: the preview follows the form before anything is saved.
    page.get_by_role("link", name="Branding").click()
    block = page.frame_locator("iframe[data-preview=block]")
    tracking = page.frame_locator("iframe[data-preview=page]")
    assert tracking.locator(".encore-timeline").count() == 1
    assert tracking.get_by_text("Start a return").count() == 0
    page.fill("#returns_url", "https://demo-grocer.example/returns")
    page.locator("#accent").evaluate(
        "(input) => { input.value = '#b0306a';"
        " input.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    tracking.get_by_text("Start a return").wait_for()
    assert "rgb(176, 48, 106)" in block.locator("a.encore-offer__add").first.evaluate(
        "(a) => getComputedStyle(a).backgroundColor"
    )
    page.get_by_role("button", name="Save branding").click()
    page.wait_for_selector("[data-status].saved")
    screenshot(page, "admin-branding")

    # Notifications: a template edit is previewed as the email the shopper gets.
    page.get_by_role("link", name="Notifications").click()
    editor = page.locator("[data-template-for=shipped]")
    editor.locator("[data-part=subject]").fill("Packed for you: {{ order_name }}")
    editor.get_by_role("button", name="Preview").click()
    editor.locator("[data-template-message].saved").wait_for()
    assert "Packed for you: #1001" in editor.locator("[data-template-message]").inner_text()
    screenshot(page, "admin-notifications")

    # Health: the dead letter is replayed.
    page.get_by_role("link", name="Health").click()
    assert page.get_by_test_id("dead-count").inner_text() == "1"
    tasks = page.get_by_test_id("background-tasks")
    assert tasks.locator("[data-task='tracking.tick']").get_by_text("Running now").is_visible()
    screenshot(page, "admin-health")
    page.get_by_test_id("dead-letters").get_by_role("button", name="Replay").click()
    page.wait_for_selector("[data-replay-status].saved")
    page.wait_for_selector("[data-testid=dead-count] >> text=0")

    # Export: the impressions CSV downloads.
    page.get_by_role("link", name="Export").click()
    screenshot(page, "admin-export")
    with page.expect_download() as download:
        page.get_by_test_id("export-impressions").click()
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "impression_id"
    assert len(rows) > 10


def test_admin_logs_in_with_a_password_and_cannot_open_another_store(
    page: Any, live_server: LiveServer, db: Session
) -> None:
    mine, theirs = make_store(db, "Corner Shop"), make_store(db, "Rival Shop")
    make_admin(db, "ann@corner.example", [mine])

    page.goto(f"{live_server.url}/admin/stores/{mine.public_id}/")
    page.fill("#email", "ann@corner.example")
    page.fill("#password", "wrong password, surely")
    page.get_by_role("button", name="Log in").click()
    assert "do not match" in page.get_by_test_id("login-error").inner_text()

    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("[data-testid=impressions]")
    assert page.get_by_test_id("impressions").inner_text() == "0"
    assert "Corner Shop" in page.inner_text("header")

    response = page.goto(f"{live_server.url}/admin/stores/{theirs.public_id}/")
    assert response.status == 403
    assert "does not manage this store" in page.get_by_test_id("admin-error").inner_text()
