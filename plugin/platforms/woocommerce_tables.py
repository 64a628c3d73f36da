"""Tables of the WooCommerce integration (connect state, import progress, reconciliation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models import Base, utcnow


class WooCommerceSync(Base):
    """Where self-healing stands for one store: the last reconciliation and the last check.

    `reconciled_through` is the end of the last window of `modified_after` reconciliation that
    completed: every order modified before it has been read from the store at least once.
    """

    __tablename__ = "woocommerce_sync"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), unique=True)
    reconciled_through: Mapped[datetime | None]
    last_reconciled_at: Mapped[datetime | None]
    last_checked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]


class SyncRunStatus:
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class WooCommerceSyncRun(Base):
    """One paged read of a store (the initial import or a reconciliation), one page per job.

    `step` and `page` say what the next job reads; a job whose page is already behind them was
    run before a crash and does nothing, so a run resumes where it stopped.
    """

    __tablename__ = "woocommerce_sync_runs"
    __table_args__ = (Index("ix_woocommerce_sync_runs_store", "store_id", "purpose", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))  # "import" or "reconcile"
    steps: Mapped[list[str]] = mapped_column(JSON)  # resources in order: ["products", "orders"]
    step: Mapped[str] = mapped_column(String(20))
    page: Mapped[int] = mapped_column(Integer, default=1)
    total_pages: Mapped[int | None] = mapped_column(Integer)
    # Orders (and products) between these times, fixed when the run starts so pages stay put.
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    written: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default=SyncRunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
