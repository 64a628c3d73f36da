"""The admin blueprint with every route attached (pages, API, login, exports)."""

from __future__ import annotations

from plugin.admin import api, exports, login, pages
from plugin.admin.blueprint import bp

ROUTE_MODULES = (api, exports, login, pages)

__all__ = ["bp"]
