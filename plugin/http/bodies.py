"""Request bodies: a size limit per kind of route, and JSON-only endpoints (415 otherwise).

Webhooks may carry large orders (up to MAX_CONTENT_LENGTH); every other route takes at most
MAX_BODY_BYTES. The limit is checked before any view runs, so an oversize request stores
nothing; a body sent without Content-Length is cut off while it is read (same 413).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, request

from plugin.errors import ApiError

WEBHOOK_BLUEPRINTS = frozenset({"shopify_webhooks", "woocommerce_webhooks"})

View = TypeVar("View", bound=Callable[..., Any])


def body_limit() -> int:
    """The largest body this request's route accepts, in bytes."""
    config = current_app.config
    if request.blueprint in WEBHOOK_BLUEPRINTS:
        return int(config["MAX_CONTENT_LENGTH"])
    return min(int(config["MAX_BODY_BYTES"]), int(config["MAX_CONTENT_LENGTH"]))


def body_too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "body_too_large",
        f"The request body is larger than this endpoint accepts ({limit} bytes); send less.",
    )


def check_body_size() -> None:
    limit = body_limit()
    request.max_content_length = limit  # enforced while reading a body without a length
    if request.content_length is not None and request.content_length > limit:
        raise body_too_large(limit)


def reject_non_json_body() -> None:
    """415 for a body declared as anything but JSON.

    A body without any Content-Type is left to the view, which answers 400 when it cannot
    read it as JSON.
    """
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if has_body and request.mimetype and not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"This endpoint reads JSON, not {request.mimetype}; send the body with "
            "Content-Type: application/json.",
        )


def json_body(view: View) -> View:
    """Mark a view as reading a JSON body: other declared content types get a 415."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        reject_non_json_body()
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]


def init_body_limits(app: Flask) -> None:
    app.before_request(check_body_size)
