"""Rendering storefront HTML: as a page, as a fragment, or as Liquid for the app proxy.

Shopify renders an `application/liquid` answer as a Liquid template inside the shop's theme.
Text that came from anyone else (product titles, carrier messages, what a shopper typed) must
then not be able to open a Liquid tag, so on that path every value is HTML-escaped *and* its
braces are written as character references, which Liquid leaves alone and browsers show as-is.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from jinja2 import Environment
from markupsafe import Markup, escape

LIQUID_CONTENT_TYPE = "application/liquid; charset=utf-8"


def _inert_for_liquid(value: Any) -> Markup:
    html = value if isinstance(value, Markup) else escape("" if value is None else value)
    return Markup(str(html).replace("{", "&#123;").replace("}", "&#125;"))


def _liquid_environment() -> Environment:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    env: Environment | None = app.extensions.get("encore_liquid_jinja")
    if env is None:
        env = app.jinja_env.overlay(finalize=_inert_for_liquid)
        app.extensions["encore_liquid_jinja"] = env
    return env


def render_html(template: str, **context: Any) -> str:
    return render_template(template, **context)


def render_liquid(template: str, **context: Any) -> str:
    """A template whose every `{{ value }}` is safe to hand to Liquid."""
    env = _liquid_environment()
    return env.get_template(template).render(**context)
