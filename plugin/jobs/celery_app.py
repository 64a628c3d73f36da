"""Entry point for Celery's command line (JOBS_BACKEND=celery):

    celery -A plugin.jobs.celery_app worker --loglevel INFO
    celery -A plugin.jobs.celery_app beat --loglevel INFO

Importing it builds the Encore app from the environment (DATABASE_URL, CELERY_BROKER_URL,
ENCRYPTION_KEY, ...), once per worker or beat process, and the Celery app bound to it.
"""

from __future__ import annotations

from typing import Any

from celery.signals import setup_logging, worker_process_init

from plugin import create_app
from plugin.config import ConfigError
from plugin.jobs.celery_tasks import celery_for
from plugin.jobs.publish import publish_rows_after_commit
from plugin.observability import configure_logging

flask_app = create_app()
if flask_app.config["JOBS_BACKEND"] != "celery":
    raise ConfigError(
        "Celery workers run jobs only with JOBS_BACKEND=celery (the web processes must publish "
        f"them); it is {flask_app.config['JOBS_BACKEND']!r}."
    )
publish_rows_after_commit(flask_app)
app = celery_for(flask_app)


@worker_process_init.connect
def _fresh_connections_after_fork(**_kwargs: Any) -> None:
    """A forked pool process must not share the parent's database connections."""
    flask_app.extensions["encore_db"].engine.dispose(close=False)


@setup_logging.connect
def _log_like_the_web(**_kwargs: Any) -> None:
    """Worker and beat log through Encore's redacting handler (JSON in production)."""
    configure_logging(flask_app.config)
