"""The tracking schedule as a periodic task: carrier polls, late parcels, held messages."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from plugin.jobs.periodic import periodic
from plugin.tracking.schedule import tick

log = logging.getLogger(__name__)


@periodic("tracking.tick", "TRACKING_TICK_SECONDS")
def tracking_tick(db: Session, now: datetime) -> None:
    for line in tick(db, now).lines():
        log.info("tracking tick: %s", line)
