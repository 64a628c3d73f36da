"""HTTP hardening shared by every route: rate limits, body limits, security headers."""

from __future__ import annotations

from flask import Flask

from plugin.http.bodies import init_body_limits
from plugin.http.headers import init_security_headers
from plugin.http.limits import init_rate_limits


def init_http_hardening(app: Flask) -> None:
    """Call once the blueprints are registered (limits attach to them by name)."""
    init_body_limits(app)
    init_security_headers(app)
    init_rate_limits(app)
