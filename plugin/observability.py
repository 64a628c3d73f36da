"""Logs: one setup for every process (JSON or text), request ids, and no secrets in any line.

- `configure_logging(config)` installs one root handler; `encore run`, `encore worker`,
  gunicorn (gunicorn.conf.py) and Celery call it.
- `init_request_logging(app)` gives each request an id (a safe incoming `X-Request-ID`, else
  a new one), returns it in the response header and writes one access line per request.
- `log_context(...)` adds fields (request id, store, inbox id, job kind) to every line logged
  inside it, in this thread or task.
- `Redactor` masks access tokens, API keys, the app's own secrets, email addresses and phone
  numbers in every field of every line. Query strings are never logged.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from types import MappingProxyType
from typing import IO, Any

from flask import Flask, Response, g, request
from pythonjsonlogger.json import JsonFormatter

from plugin.config import ENV_PREFIX

REQUEST_ID_HEADER = "X-Request-ID"
ACCESS_LOGGER = "encore.access"
# The app's own secrets: their values are masked wherever they appear.
SECRET_SETTINGS = (
    "SHOPIFY_API_SECRET",
    "SECRET_KEY",
    "ENCRYPTION_KEY",
    "SMTP_PASSWORD",
    "TWILIO_AUTH_TOKEN",
)
LOGGING_SETTINGS = ("ENV", "LOG_FORMAT", "LOG_LEVEL", *SECRET_SETTINGS)
# Secrets shorter than this are not masked: masking "abc" everywhere would garble every line.
MIN_SECRET_LENGTH = 8

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Never mutated in place: each change sets a new mapping, so the shared default stays empty.
_context: ContextVar[Mapping[str, Any]] = ContextVar(
    "encore_log_context", default=MappingProxyType({})
)

MASK = "[redacted]"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Shopify tokens and secrets: shpat_ (access), shpca_ (custom app), shpss_ (shared secret),
    # shprt_ (refresh), shppa_/shpua_ (older private and user tokens).
    (re.compile(r"shp(?:at|ca|ss|rt|pa|ua)_[A-Za-z0-9]+"), MASK),
    # WooCommerce REST keys.
    (re.compile(r"\bc[ks]_[A-Za-z0-9]{16,}"), MASK),
    # Authorization headers.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + MASK),
    # Values of sensitive parameters in a query string, form body or "key=value" message.
    (
        re.compile(
            r"(?i)\b(code|hmac|signature|state|token|access_token|refresh_token|id_token|"
            r"session|consumer_key|consumer_secret|client_secret|password|secret|key)"
            r"=[^&\s\"',;]+"
        ),
        r"\1=" + MASK,
    ),
    # Email addresses.
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"), "[email]"),
    # Phone numbers: international (+15125550143, +1 512-555-0143) or North American with
    # separators (512-555-0143, (512) 555-0143). Bare digit runs (order ids) are left alone.
    (re.compile(r"\+\d[\d\s().-]{6,18}\d"), "[phone]"),
    (re.compile(r"(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b"), "[phone]"),
)


class Redactor:
    """Masks secrets and personal data in text (and in the strings of nested values)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted(values, key=len, reverse=True)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Redactor:
        secrets: list[str] = []
        for key in SECRET_SETTINGS:
            value = config.get(key)
            if value:
                # ENCRYPTION_KEY may list several keys; each is a secret of its own.
                secrets.extend(part.strip() for part in str(value).split(","))
                secrets.append(str(value))
        return cls(secrets)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, MASK)
        for pattern, replacement in _PATTERNS:
            value = pattern.sub(replacement, value)
        return value

    def value(self, value: Any) -> Any:
        """Redact a log field: strings, and the strings inside lists and dicts."""
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {str(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set):
            return [self.value(v) for v in value]
        return self.text(str(value))


class JsonLogFormatter(JsonFormatter):
    """One JSON object per line: timestamp, level, logger, message, context and extra fields."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp=True,
        )
        self.redactor = redactor

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        # Redact field by field before serialising, so the output stays valid JSON.
        redacted: dict[str, Any] = {key: self.redactor.value(v) for key, v in log_data.items()}
        return redacted


class TextLogFormatter(logging.Formatter):
    """A readable line for development, with the request id; redacted like the JSON one."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return self.redactor.text(super().format(record))


class ContextFilter(logging.Filter):
    """Copies the current log context (request id, store, inbox id, job kind) onto each line."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _context.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class EncoreLogHandler(logging.StreamHandler):  # type: ignore[type-arg,unused-ignore]
    """The root handler `configure_logging` installs (and replaces when called again)."""


def log_format(config: Mapping[str, Any]) -> str:
    """`LOG_FORMAT` if set, else JSON in production and text in development."""
    chosen = str(config.get("LOG_FORMAT") or "").strip().lower()
    if not chosen:
        production = str(config.get("ENV") or "").lower() == "production"
        chosen = "json" if production else "text"
    if chosen not in {"json", "text"}:
        raise ValueError(f"LOG_FORMAT is {chosen!r}; use json or text.")
    return chosen


def configure_logging(config: Mapping[str, Any], stream: IO[str] | None = None) -> logging.Handler:
    """Send every log line of this process through one redacting handler (stderr by default)."""
    redactor = Redactor.from_config(config)
    handler = EncoreLogHandler(stream if stream is not None else sys.stderr)
    if log_format(config) == "json":
        handler.setFormatter(JsonLogFormatter(redactor))
    else:
        handler.setFormatter(TextLogFormatter(redactor))
    handler.addFilter(ContextFilter())

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, EncoreLogHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(str(config.get("LOG_LEVEL") or "INFO").upper())
    # Werkzeug's own request lines carry query strings; Encore writes its own access line.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return handler


def settings_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The logging settings from the environment (ENCORE_* or the bare name), for processes
    that log before an app exists (the gunicorn master)."""
    environ = os.environ if environ is None else environ
    settings: dict[str, str] = {}
    for key in LOGGING_SETTINGS:
        value = environ.get(ENV_PREFIX + key) or environ.get(key)
        if value:
            settings[key] = value
    return settings


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Every line logged inside carries these fields (nested contexts add to the outer one)."""
    token = _context.set({**_context.get(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def job_log_context(inbox_id: int, kind: str) -> AbstractContextManager[None]:
    """The context a job runs in: its inbox row and kind on every line it logs."""
    return log_context(inbox_id=inbox_id, job_kind=kind)


def current_request_id() -> str | None:
    value = _context.get().get("request_id")
    return str(value) if value else None


def request_id_from(incoming: str | None) -> str:
    """Keep a caller's request id when it is short and plain; otherwise make a new one."""
    if incoming and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def set_log_store(store: str | int) -> None:
    """Name the store this request is about, for the rest of its log lines."""
    g.encore_log_store = str(store)
    _context.set({**_context.get(), "store": str(store)})


def init_request_logging(app: Flask) -> None:
    """Request ids on every request and response, one access line per request."""
    app.before_request(_start_request)
    app.after_request(_log_access)
    app.teardown_request(_end_request)


def _start_request() -> None:
    g.encore_request_started = time.perf_counter()
    request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.encore_log_token = _context.set({"request_id": request_id})


def _store_of_request() -> str | None:
    from plugin.auth.shopify_oauth import is_valid_shop_domain

    known = g.get("encore_log_store")
    if known:
        return str(known)
    if request.view_args and request.view_args.get("store_id") is not None:
        return str(request.view_args["store_id"])
    shop = request.headers.get("X-Shopify-Shop-Domain") or request.args.get("shop") or ""
    return shop if is_valid_shop_domain(shop) else None


def _log_access(response: Response) -> Response:
    request_id = current_request_id() or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("encore_request_started", time.perf_counter())
    fields: dict[str, Any] = {
        "method": request.method,
        "path": request.path,  # never the query string: codes, HMACs and keys live there
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    store = _store_of_request()
    if store:
        fields["store"] = store
    # Load balancers poll the health check every few seconds: keep those lines at DEBUG.
    quiet = request.path == "/healthz" and response.status_code == 200
    logging.getLogger(ACCESS_LOGGER).log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra=fields,
    )
    return response


def _end_request(_exc: BaseException | None) -> None:
    token = g.pop("encore_log_token", None)
    if token is not None:
        try:
            _context.reset(token)
        except ValueError:  # set in another context (should not happen); leave a clean slate
            _context.set({})
