"""gunicorn settings for Encore: `gunicorn -c gunicorn.conf.py plugin.wsgi:app`.

Every value comes from the environment with a production default. The master migrates the
database once before any worker starts (`on_starting`); each worker then builds its own app
and engine (preload_app off: no connection is shared across a fork). Logs are JSON lines
through plugin.observability; Encore writes the access lines itself (without query strings),
so gunicorn's own access log stays off.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from gunicorn.glogging import Logger


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = f"0.0.0.0:{_number('PORT', 8000)}"
workers = _number("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker keep answering while one request waits on the database.
threads = _number("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = _number("GUNICORN_TIMEOUT", 30)
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _number("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (with jitter, so they do not all restart at once).
max_requests = _number("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _number("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Request line and headers: generous for Shopify's signed queries, small enough to refuse junk.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Addresses of the proxies allowed to set X-Forwarded-For/-Proto (the load balancer).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# /dev/shm keeps worker heartbeats off slow container disks.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


class EncoreLogger(Logger):
    """gunicorn's own lines (start, workers, errors) through Encore's JSON, redacted handler."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        from plugin.observability import configure_logging, settings_from_environment

        configure_logging(settings_from_environment())
        for handler in list(self.error_log.handlers):
            self.error_log.removeHandler(handler)
        self.error_log.propagate = True


logger_class = EncoreLogger


def on_starting(server: Any) -> None:
    """Migrate before any worker exists, so workers never race to create the schema."""
    from plugin.cli import upgrade_from_environment

    server.log.info("Bringing the database to the newest migration")
    upgrade_from_environment()
