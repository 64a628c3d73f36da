"""A store's notification choices from `Store.settings` (docs/store-settings.md), with defaults.

A missing or malformed value reads as its default, never as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from plugin.models import Store
from plugin.storefront.safe_urls import web_url
from plugin.tracking.eta import store_zone
from plugin.tracking.tables import Channel, Milestone

DEFAULT_CHANNELS = {Channel.EMAIL: True, Channel.SMS: False}
DEFAULT_QUIET_HOURS = ("21:00", "08:00")
CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")


def _settings(store: Store) -> dict[str, Any]:
    return store.settings if isinstance(store.settings, dict) else {}


def milestone_enabled(store: Store, channel: str, milestone: str) -> bool:
    """`notifications[channel][milestone]`; email on and SMS off by default."""
    default = DEFAULT_CHANNELS.get(Channel(channel), False)
    choices = _settings(store).get("notifications")
    if not isinstance(choices, dict) or not isinstance(choices.get(channel), dict):
        return default
    value = choices[channel].get(milestone)
    return value if isinstance(value, bool) else default


def _clock(value: Any) -> time | None:
    if not isinstance(value, str) or not CLOCK.fullmatch(value.strip()):
        return None
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def quiet_hours(store: Store) -> tuple[time, time] | None:
    """(start, end) of the store's quiet hours; None when the merchant turned them off."""
    settings = _settings(store)
    if "quiet_hours" in settings and settings["quiet_hours"] is None:
        return None
    value = settings.get("quiet_hours")
    if isinstance(value, dict):
        start, end = _clock(value.get("start")), _clock(value.get("end"))
        if start is not None and end is not None and start != end:
            return start, end
    start, end = (_clock(text) for text in DEFAULT_QUIET_HOURS)
    assert start is not None and end is not None
    return start, end


def held_until(now: datetime, hours: tuple[time, time] | None, zone: ZoneInfo) -> datetime | None:
    """When quiet hours end, if `now` falls inside them (in `zone`); else None."""
    if hours is None:
        return None
    start, end = hours
    local = now.astimezone(zone)
    clock = local.time()
    inside = start <= clock < end if start < end else clock >= start or clock < end
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(now.tzinfo)


def shopper_zone(store: Store) -> ZoneInfo:
    """The shopper's time zone is not known to Encore yet: the store's stands in for it."""
    return store_zone(store)


def sender_name(store: Store) -> str:
    name = _settings(store).get("sender_name")
    if isinstance(name, str) and name.strip():
        return name.strip()[:120]
    return store.name or store.domain


def feedback_enabled(store: Store) -> bool:
    value = _settings(store).get("feedback_enabled")
    return value if isinstance(value, bool) else True


def email_template(store: Store, milestone: str) -> tuple[str | None, str | None]:
    """The merchant's (subject, body) for a milestone, each None where not set."""
    templates = _settings(store).get("email_templates")
    entry = templates.get(milestone) if isinstance(templates, dict) else None
    if not isinstance(entry, dict):
        return None, None
    subject, body = entry.get("subject"), entry.get("body")
    return (
        subject.strip()[:200] if isinstance(subject, str) and subject.strip() else None,
        body if isinstance(body, str) and body.strip() else None,
    )


@dataclass(frozen=True)
class HelpLinks:
    """Returns policy and support contact, shown on the block, the page and delivered emails."""

    returns_url: str | None = None
    returns_text: str | None = None
    support_url: str | None = None
    support_email: str | None = None

    @classmethod
    def of(cls, store: Store) -> HelpLinks:
        settings = _settings(store)
        text = settings.get("returns_text")
        email = settings.get("support_email")
        return cls(
            returns_url=web_url(settings.get("returns_url")),
            returns_text=text.strip()[:500] if isinstance(text, str) and text.strip() else None,
            support_url=web_url(settings.get("support_url")),
            support_email=email.strip()
            if isinstance(email, str) and EMAIL.fullmatch(email.strip())
            else None,
        )

    @property
    def any(self) -> bool:
        return any((self.returns_url, self.returns_text, self.support_url, self.support_email))

    def as_json(self) -> dict[str, str | None]:
        return {
            "returns_url": self.returns_url,
            "returns_text": self.returns_text,
            "support_url": self.support_url,
            "support_email": self.support_email,
        }


ALL_MILESTONES = tuple(m.value for m in Milestone)
ALL_CHANNELS = tuple(c.value for c in Channel)
