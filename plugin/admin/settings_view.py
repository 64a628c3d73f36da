"""The settings as they are in force: what is stored, else the default from docs/store-settings.md.

Forms show these values, so a merchant sees what shoppers get even for keys never saved.
Readers elsewhere own their defaults; the admin only mirrors them for display.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from plugin.admin.settings_schema import CHANNELS, MILESTONES, SURFACES, StoreSettingsPatch
from plugin.analytics.holdout import DEFAULT_WINDOW_DAYS
from plugin.models import Store
from plugin.storefront.branding import DEFAULT_ACCENT, DEFAULT_PAGE_TITLE

DEFAULT_QUIET_HOURS = {"start": "21:00", "end": "08:00"}
DEFAULT_TRACKING_TITLE = DEFAULT_PAGE_TITLE


def defaults(store: Store, holdout_share: float) -> dict[str, Any]:
    return {
        "offer_discount_percent": 0,
        "offers_enabled": {surface: True for surface in SURFACES},
        "recommendations_fill": {surface: True for surface in SURFACES},
        "pinned_offers": [],
        "excluded_product_ids": [],
        "holdout_share": holdout_share,
        "frequency_cap": {"max_impressions": 3, "days": 7},
        "attribution_window_days": DEFAULT_WINDOW_DAYS,
        "accent_color": DEFAULT_ACCENT,
        "logo_url": None,
        "tracking_page_title": DEFAULT_TRACKING_TITLE,
        "tracking_page_message": None,
        "support_url": None,
        "support_email": None,
        "returns_url": None,
        "returns_text": None,
        "notifications": {
            channel: {milestone: channel == "email" for milestone in MILESTONES}
            for channel in CHANNELS
        },
        "quiet_hours": dict(DEFAULT_QUIET_HOURS),
        "timezone": store.timezone or "UTC",
        "email_templates": {},
        "sender_name": store.name or "",
        "feedback_enabled": True,
    }


def effective_settings(store: Store, holdout_share: float) -> dict[str, Any]:
    """Each key's stored value when it is valid, else its default."""
    effective = defaults(store, holdout_share)
    stored = dict(store.settings or {})
    for key in list(effective):
        if key not in stored:
            continue
        try:
            loaded = StoreSettingsPatch().load({key: stored[key]})
        except ValidationError:
            continue  # malformed: shoppers get the default, so show the default
        value = loaded.get(key)
        if value is None and key != "quiet_hours":
            continue
        if key == "notifications" and isinstance(value, dict):
            value = {
                channel: {**effective["notifications"][channel], **(value.get(channel) or {})}
                for channel in CHANNELS
            }
        effective[key] = value
    return effective
