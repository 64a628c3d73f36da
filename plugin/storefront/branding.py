"""A store's look on Encore's own pages, from `Store.settings`, checked before it reaches HTML.

Settings are typed by merchants (and later by the admin UI); anything that is not a plain colour
or a web link is ignored rather than written into a style attribute or an href.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugin.models import Store
from plugin.storefront.safe_urls import web_url

DEFAULT_ACCENT = "#1f5f8b"
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


DEFAULT_PAGE_TITLE = "Track your order"


@dataclass(frozen=True)
class Branding:
    store_name: str
    accent_color: str
    on_accent_color: str  # text on the accent colour, whichever of black/white reads better
    logo_url: str | None = None
    support_url: str | None = None
    returns_url: str | None = None
    page_title: str = DEFAULT_PAGE_TITLE  # the tracking page's heading, set in the admin
    page_message: str | None = None  # a line from the merchant under it

    @classmethod
    def of(cls, store: Store) -> Branding:
        settings = store.settings or {}
        accent = settings.get("accent_color")
        accent = accent.strip() if isinstance(accent, str) else ""
        if not HEX_COLOUR.fullmatch(accent):
            accent = DEFAULT_ACCENT
        return cls(
            store_name=store.name or _name_from_domain(store.domain),
            accent_color=accent,
            on_accent_color=readable_text_colour(accent),
            logo_url=web_url(settings.get("logo_url")),
            support_url=web_url(settings.get("support_url")),
            returns_url=web_url(settings.get("returns_url")),
            page_title=_text(settings.get("tracking_page_title"), 80) or DEFAULT_PAGE_TITLE,
            page_message=_text(settings.get("tracking_page_message"), 500),
        )


def _text(value: object, limit: int) -> str | None:
    """Plain text from a setting (escaped by the template), or None when empty or not text."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:limit]


def _name_from_domain(domain: str) -> str:
    host = domain.split("://", 1)[-1].split("/", 1)[0]
    return host.removesuffix(".myshopify.com")


def readable_text_colour(hex_colour: str) -> str:
    """Black or white, whichever contrasts more with the colour (WCAG relative luminance)."""
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    contrast_with_white = 1.05 / (luminance + 0.05)
    contrast_with_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_with_white >= contrast_with_black else "#000000"
