"""Encore: post-purchase offers and order tracking for Shopify and WooCommerce stores."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from plugin.config import load_config
from plugin.crypto import build_fernet
from plugin.db import Database
from plugin.errors import register_error_handlers
from plugin.http import init_http_hardening
from plugin.observability import init_request_logging
from plugin.openapi import init_openapi


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Encore app; creates the schema when the database is empty."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(Path(app.instance_path), test_config))
    app.json.sort_keys = False  # type: ignore[attr-defined]

    app.extensions["encore_fernet"] = build_fernet(app.config["ENCRYPTION_KEY"])
    db = Database(app.config["DATABASE_URL"])
    db.init_app(app)
    if db.is_empty():
        db.create_schema()

    register_error_handlers(app)
    init_request_logging(app)
    _register_blueprints(app)
    init_openapi(app)
    init_http_hardening(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from plugin.auth.shopify import bp as shopify_auth
    from plugin.health import bp as health
    from plugin.web.home import bp as home
    from plugin.webhooks.shopify import bp as shopify_webhooks

    for blueprint in (health, home, shopify_auth, shopify_webhooks):
        app.register_blueprint(blueprint)

    from plugin.auth.woocommerce import bp as woocommerce_auth
    from plugin.webhooks.woocommerce import bp as woocommerce_webhooks

    app.register_blueprint(woocommerce_auth)
    app.register_blueprint(woocommerce_webhooks)

    from plugin.admin.routes import bp as admin

    app.register_blueprint(admin)

    from plugin.storefront.app_proxy import bp as storefront_app_proxy
    from plugin.storefront.cors import bp as storefront_cors
    from plugin.storefront.events import bp as storefront_events
    from plugin.storefront.shopify_blocks import bp as storefront_shopify
    from plugin.storefront.tracking_page import bp as storefront_tracking_page
    from plugin.storefront.woocommerce_block import bp as storefront_woocommerce

    for blueprint in (
        storefront_cors,
        storefront_shopify,
        storefront_events,
        storefront_woocommerce,
        storefront_tracking_page,
        storefront_app_proxy,
    ):
        app.register_blueprint(blueprint)
