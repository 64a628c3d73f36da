"""The WSGI entry point for gunicorn: `gunicorn -c gunicorn.conf.py plugin.wsgi:app`.

Each gunicorn worker imports this (preload_app is off), so each builds its own app and
database engine; the schema was brought to the newest migration before any worker started.
"""

from __future__ import annotations

from plugin import create_app
from plugin.observability import configure_logging

app = create_app()
configure_logging(app.config)
