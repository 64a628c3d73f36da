"""Which function runs each kind of inbox row."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from sqlalchemy.orm import Session

from plugin.models import InboxEvent

JobHandler = Callable[[Session, InboxEvent], None]

_HANDLERS: dict[str, JobHandler] = {}

# Extension hook: comma-separated modules whose @job functions are loaded too (the Celery
# tests load test-only jobs into their worker processes this way).
EXTRA_MODULES_VARIABLE = "ENCORE_EXTRA_JOB_MODULES"


class UnknownJobKind(LookupError):
    """No handler is registered for an inbox row's kind."""


def job(kind: str) -> Callable[[JobHandler], JobHandler]:
    """Register the function that processes inbox rows of `kind`."""

    def register(handler: JobHandler) -> JobHandler:
        _HANDLERS[kind] = handler
        return handler

    return register


def handler_for(kind: str) -> JobHandler:
    _load_handlers()
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(f"no job handles inbox rows of kind {kind!r}") from None


def _load_handlers() -> None:
    """Import the modules whose @job functions fill the registry (once)."""
    import plugin.demo.jobs
    import plugin.jobs.shopify_events
    import plugin.jobs.woocommerce_events
    import plugin.offers.jobs
    import plugin.offers.recommender.neighbours  # noqa: F401

    for name in os.environ.get(EXTRA_MODULES_VARIABLE, "").split(","):
        if name.strip():
            importlib.import_module(name.strip())
