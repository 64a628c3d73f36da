"""Tables of the job machinery beyond the inbox: one lease row per periodic task.

Kept import-light: `plugin.models` imports this module at its end, so it must not import
anything that imports the models back (only `plugin.models` itself).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models import Base


class PeriodicRun(Base):
    """Who runs a periodic task now (a lease), and how its last run went.

    A run takes the lease with a conditional UPDATE only one process can win, so at most one
    run of a task is in progress anywhere; a crashed holder's lease simply runs out. The
    embedded workers also share the schedule: a task is due when `last_started_at` is one
    interval ago.
    """

    __tablename__ = "periodic_runs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    leased_until: Mapped[datetime | None]
    leased_by: Mapped[str | None] = mapped_column(String(128))
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
