"""Rows whose worker died on every try are dead-lettered, not claimed again forever."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from plugin.jobs.periodic import periodic
from plugin.jobs.queue import bury_abandoned

log = logging.getLogger(__name__)


@periodic("jobs.bury_abandoned", "JOBS_LEASE_SECONDS")
def bury_abandoned_rows(db: Session, now: datetime) -> None:
    buried = bury_abandoned(db, int(current_app.config["JOBS_MAX_ATTEMPTS"]), now)
    if buried:
        log.warning("dead-lettered %s job(s) whose worker stopped on every try", buried)
