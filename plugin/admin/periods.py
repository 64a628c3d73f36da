"""The dashboard's period from the query string (`?period=30d`, or custom from/to)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from plugin.admin.schemas import DashboardQuery
from plugin.analytics.period import Period, custom_period, preset_period, store_zone
from plugin.models import Store

QUERY_KEYS = ("period", "from", "to")


def requested_period(args: Mapping[str, str], store: Store, now: datetime) -> Period:
    """Raises marshmallow's ValidationError (a 400) for a period that makes no sense."""
    wanted = DashboardQuery().load({key: args[key] for key in QUERY_KEYS if key in args})
    zone = store_zone(store)
    if wanted["period"] == "custom":
        return custom_period(wanted["from_"], wanted["to"], zone)
    return preset_period(wanted["period"], zone, now)
