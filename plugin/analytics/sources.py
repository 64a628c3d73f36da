"""Tables and functions other features provide, looked up when needed.

Offers (conversions), tracking (notifications, feedback, exceptions) land on their own
schedule; a figure whose source is not installed yet reads as "not available" on the
dashboard instead of breaking it.
"""

from __future__ import annotations

import importlib
from typing import Any


def optional(module: str, name: str) -> Any | None:
    """`module.name`, or None when that module or name does not exist (yet)."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(found, name, None)


def offer_conversion_table() -> Any | None:
    return optional("plugin.offers.tables", "OfferConversion")


def net_revenue_of() -> Any | None:
    """`net_revenue(conversion)`: what a conversion earned after refunds."""
    return optional("plugin.offers.attribution", "net_revenue")


def notification_table() -> Any | None:
    return optional("plugin.tracking.tables", "Notification")


def feedback_table() -> Any | None:
    return optional("plugin.tracking.tables", "Feedback")


def open_exceptions_of() -> Any | None:
    """`open_exceptions(db, store, now)`: shipments a merchant should act on."""
    return optional("plugin.tracking.exceptions", "open_exceptions")
