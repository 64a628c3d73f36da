"""How the demo pages write money, times, statuses and errors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

CURRENCY_SIGNS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£"}


def money(amount: Decimal | None, currency: str = "USD") -> str:
    if amount is None:
        return "—"
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{amount:,.2f}" if sign else f"{amount:,.2f} {currency}"


def when(moment: datetime | None) -> str:
    """A time as a person reads it: "Nov 20, 2026 · 14:58 UTC"."""
    if moment is None:
        return "—"
    moment = moment.astimezone(UTC)
    return f"{moment:%b} {moment.day}, {moment:%Y · %H:%M} UTC"


def day(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    moment = moment.astimezone(UTC)
    return f"{moment:%b} {moment.day}, {moment:%Y}"


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, roughly: "3 h ago", "5 days ago"."""
    if moment is None:
        return ""
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < 0:
        return "in the future"
    if seconds < 3600:
        return f"{max(1, int(seconds // 60))} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "1 day ago" if days == 1 else f"{days} days ago"


def label(status: str | None) -> str:
    """A status value as words: "out_for_delivery" → "Out for delivery"."""
    if not status:
        return "—"
    words = str(status).replace("_", " ")
    return words[:1].upper() + words[1:]


def first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def template_helpers() -> dict[str, Any]:
    return {
        "money": money,
        "when": when,
        "day": day,
        "ago": ago,
        "label": label,
        "first_line": first_line,
    }
