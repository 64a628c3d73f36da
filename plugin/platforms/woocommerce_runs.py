"""Paged reads of a store (import and reconciliation): one page per job, resumable.

A run names the collections it reads in order (`steps`) and a fixed time window, so the pages
do not shift while it works. Each page is one inbox job: it writes its items, moves the run on
and queues the next page in the same transaction. After a crash the page's job is claimed
again; a job whose page the run has already passed does nothing, so every page is written
once and the run continues where it stopped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from plugin.jobs.queue import enqueue
from plugin.models import InboxEvent, InboxStatus, Store, utcnow
from plugin.platforms.base import PayloadError
from plugin.platforms.woocommerce_client import WooCommerceClient
from plugin.platforms.woocommerce_tables import (
    SyncRunStatus,
    WooCommerceSync,
    WooCommerceSyncRun,
)
from plugin.platforms.woocommerce_writes import save_order, save_product

log = logging.getLogger(__name__)

SYNC_KIND = "woocommerce.sync"
IMPORT = "import"
RECONCILE = "reconcile"


def sync_state(db: Session, store: Store) -> WooCommerceSync:
    state = db.scalar(select(WooCommerceSync).where(WooCommerceSync.store_id == store.id))
    if state is None:
        state = WooCommerceSync(store_id=store.id)
        db.add(state)
        db.flush()
    return state


def _gmt(value: datetime) -> str:
    """WooCommerce reads dates without an offset; `dates_are_gmt` says they are UTC."""
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def page_query(run: WooCommerceSyncRun) -> dict[str, Any]:
    """The collection filter for the run's current step (ascending ids keep pages stable)."""
    query: dict[str, Any] = {"orderby": "id", "order": "asc"}
    if run.window_start is None and run.window_end is None:
        return query
    query["dates_are_gmt"] = "true"
    # The import reads orders placed in its window; reconciliation what was modified in it.
    after, before = (
        ("after", "before") if run.purpose == IMPORT else ("modified_after", "modified_before")
    )
    if run.window_start is not None:
        query[after] = _gmt(run.window_start)
    if run.window_end is not None:
        query[before] = _gmt(run.window_end)
    if run.step == "orders":
        query["status"] = "any"
    return query


def start_run(
    db: Session,
    store: Store,
    purpose: str,
    steps: Iterable[str],
    window_start: datetime | None = None,
    window_end: datetime | None = None,
) -> WooCommerceSyncRun:
    """Create a run and queue its first page (commits)."""
    step_list = list(steps)
    run = WooCommerceSyncRun(
        store_id=store.id,
        purpose=purpose,
        steps=step_list,
        step=step_list[0],
        page=1,
        status=SyncRunStatus.RUNNING,
        fetched=0,
        written=0,
        started_at=utcnow(),
        window_start=window_start,
        window_end=window_end,
    )
    db.add(run)
    db.flush()
    queue_page(db, store, run)
    return run


def page_key(run: WooCommerceSyncRun, suffix: str = "") -> str:
    return f"{SYNC_KIND}:{run.id}:{run.step}:{run.page}{suffix}"


def queue_page(db: Session, store: Store, run: WooCommerceSyncRun, suffix: str = "") -> None:
    """Queue the job for the run's current page, together with whatever the session holds."""
    enqueue(
        db,
        kind=SYNC_KIND,
        topic=f"{run.purpose}.{run.step}",
        event_key=page_key(run, suffix),
        body=json.dumps({"run_id": run.id, "step": run.step, "page": run.page}),
        store_id=store.id,
        shop_domain=store.domain,
    )


def run_page(db: Session, store: Store, run: WooCommerceSyncRun, client: WooCommerceClient) -> None:
    """Read and write the run's current page, then move the run on (the caller commits)."""
    page = client.get_page(run.step, run.page, page_query(run))
    written = 0
    for item in page.items:
        written += _write(db, store, run.step, item, client)
    run.fetched += len(page.items)
    run.written += written
    run.total_pages = page.total_pages
    if page.items and run.page < page.total_pages:
        run.page += 1
        return
    position = run.steps.index(run.step)
    if position + 1 < len(run.steps):
        run.step = run.steps[position + 1]
        run.page = 1
        run.total_pages = None
        return
    _finish(db, store, run)


def _write(
    db: Session, store: Store, step: str, item: dict[str, Any], client: WooCommerceClient
) -> int:
    try:
        if step == "orders":
            outcome = save_order(db, store, item)
        else:
            outcome = save_product(
                db,
                store,
                item,
                lambda product_id: client.iterate(f"products/{product_id}/variations"),
                lambda product_id: client.get(f"products/{product_id}"),
            )
    except PayloadError as exc:
        # One broken record must not stop a whole import: it is logged and skipped.
        log.warning("store %s: skipped %s %s: %s", store.id, step, item.get("id"), exc)
        return 0
    return 0 if outcome is None or outcome.value == "stale" else 1


def _finish(db: Session, store: Store, run: WooCommerceSyncRun) -> None:
    now = utcnow()
    run.status = SyncRunStatus.DONE
    run.finished_at = now
    state = sync_state(db, store)
    if run.purpose == RECONCILE:
        state.reconciled_through = run.window_end
        state.last_reconciled_at = now
    elif state.reconciled_through is None:
        # Webhooks were on before the import began: reconciliation picks up from its start.
        state.reconciled_through = run.window_end or run.started_at
    log.info(
        "store %s: %s finished, %s read, %s written",
        store.id,
        run.purpose,
        run.fetched,
        run.written,
    )


def advance(
    db: Session,
    store: Store,
    run_id: int,
    step: str,
    page: int,
    client_factory: Callable[[], WooCommerceClient],
) -> None:
    """The job for one page: skip it if the run is past it, else run it and queue the next."""
    run = db.get(WooCommerceSyncRun, run_id)
    if run is None or run.status != SyncRunStatus.RUNNING or (run.step, run.page) != (step, page):
        log.info("sync run %s page %s/%s already done; nothing to do", run_id, step, page)
        return
    run_page(db, store, run, client_factory())
    if run.status == SyncRunStatus.RUNNING:
        queue_page(db, store, run)  # commits the page's writes and the next job together
    else:
        db.commit()


def run_to_end(
    db: Session, store: Store, run: WooCommerceSyncRun, client: WooCommerceClient
) -> None:
    """Work a run through in this process (the CLI), committing page by page."""
    while run.status == SyncRunStatus.RUNNING:
        run_page(db, store, run, client)
        db.commit()


def resume_stalled(db: Session, store: Store) -> int:
    """Queue the current page again for running runs that have no job waiting (commits)."""
    resumed = 0
    runs = db.scalars(
        select(WooCommerceSyncRun).where(
            WooCommerceSyncRun.store_id == store.id,
            WooCommerceSyncRun.status == SyncRunStatus.RUNNING,
        )
    ).all()
    for run in runs:
        key = page_key(run)
        waiting = db.scalar(
            select(InboxEvent.id).where(
                InboxEvent.kind == SYNC_KIND,
                or_(InboxEvent.event_key == key, InboxEvent.event_key.startswith(key + ":")),
                InboxEvent.status.in_([InboxStatus.PENDING, InboxStatus.RUNNING]),
            )
        )
        if waiting is None:
            queue_page(db, store, run, suffix=f":resume-{int(utcnow().timestamp())}")
            resumed += 1
    return resumed


def running(db: Session, store: Store, purpose: str) -> WooCommerceSyncRun | None:
    return db.scalar(
        select(WooCommerceSyncRun)
        .where(
            WooCommerceSyncRun.store_id == store.id,
            WooCommerceSyncRun.purpose == purpose,
            WooCommerceSyncRun.status == SyncRunStatus.RUNNING,
        )
        .order_by(WooCommerceSyncRun.id.desc())
    )
