"""Words and numbers as a shopper reads them on Encore's HTML surfaces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from plugin.tracking.progress import LABELS, MILESTONES, as_tracking_status, milestone_reached
from plugin.tracking.status import TrackingStatus

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: str | Decimal | None, currency: str) -> str:
    """ "19.00", "USD" → "$19.00"; unknown currencies keep their code: "19.00 CHF"."""
    if amount is None:
        return ""
    try:
        text = f"{Decimal(str(amount)):,.2f}"
    except InvalidOperation:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


def status_label(status: str | None) -> str:
    return LABELS[as_tracking_status(status)]


EXCEPTION_MESSAGES = {
    "no_scan": "The carrier hasn't scanned this parcel yet. We're checking with them.",
    "stalled": "This parcel hasn't moved for a few days. We're keeping an eye on it.",
    "late": "This parcel is running later than expected.",
    "carrier_exception": "The carrier reported a problem with this parcel.",
}


def exception_message(kind: str | None) -> str:
    """What a shopper reads about a parcel's problem (plugin.tracking.exceptions kinds)."""
    return EXCEPTION_MESSAGES.get(kind or "", "There is a problem with this parcel.")


@dataclass(frozen=True)
class Clock:
    """Shows times in the store's time zone (UTC when it has none or an unknown one)."""

    zone_name: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.zone_name or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def _local(self, value: str | datetime | None) -> datetime | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return None
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(self.zone)

    def when(self, value: str | datetime | None) -> str:
        """ "Nov 21, 10:15 AM"."""
        local = self._local(value)
        if local is None:
            return ""
        return f"{local:%b} {local.day}, {local.hour % 12 or 12}:{local:%M %p}"

    def day(self, value: str | datetime | None) -> str:
        """ "Tuesday, Nov 24"."""
        local = self._local(value)
        return f"{local:%A, %b} {local.day}" if local else ""

    def machine(self, value: str | datetime | None) -> str:
        """For `<time datetime=...>`."""
        local = self._local(value)
        return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if local else ""


@dataclass(frozen=True)
class TimelineStep:
    label: str
    done: bool
    current: bool


def timeline(status: str | None) -> list[TimelineStep]:
    """The milestones of a delivery, with the ones reached marked done and the latest current.

    A cancelled, returned or problem order shows its own state as the last step, so the
    shopper never sees "Delivered" greyed out as if it were still coming.
    """
    current = as_tracking_status(status)
    steps = [TimelineStep(LABELS[m], milestone_reached(current, m), False) for m in MILESTONES]
    if current not in MILESTONES and current not in (
        TrackingStatus.ATTEMPTED_DELIVERY,
        TrackingStatus.READY_FOR_PICKUP,
    ):
        steps = [s for s in steps if s.done] + [TimelineStep(LABELS[current], True, True)]
        return steps
    if current in (TrackingStatus.ATTEMPTED_DELIVERY, TrackingStatus.READY_FOR_PICKUP):
        # Shown in place of "Out for delivery": the step the parcel is actually at.
        steps = [
            TimelineStep(LABELS[current], True, False)
            if s.label == LABELS[TrackingStatus.OUT_FOR_DELIVERY]
            else s
            for s in steps
        ]
    last_done = max((i for i, s in enumerate(steps) if s.done), default=0)
    return [TimelineStep(s.label, s.done, i == last_done) for i, s in enumerate(steps)]
