"""A small WooCommerce REST (wc/v3) client on `requests`: auth, pages, retries, clear errors.

Over HTTPS the consumer key and secret go as HTTP Basic credentials. Over plain HTTP (a local
store) WooCommerce refuses Basic and wants a one-legged OAuth 1.0a signature in the query, so
the secret itself never crosses the wire.

The `woocommerce` package is not used: it has no retries or backoff, no session reuse, and
over plain HTTP it signs a URL that repeats query parameters.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth
from requests_oauthlib import OAuth1

from plugin.platforms.backoff import backoff_seconds
from plugin.platforms.circuit import (
    CircuitBreaker,
    StoreCircuit,
    circuit_key,
    current_breaker,
    failed_status,
)

API_PREFIX = "/wp-json/wc/v3/"
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_PER_PAGE = 100


class WooCommerceApiError(RuntimeError):
    """A WooCommerce REST call failed for good; the message says why and what to do."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Page:
    """One page of a collection, with the totals WooCommerce sends in its headers."""

    items: list[dict[str, Any]]
    page: int
    total_pages: int
    total: int | None


def wait(seconds: float) -> None:
    """The pause between attempts (a module function, so tests can make it instant)."""
    time.sleep(seconds)


def woocommerce_http() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "Encore"
    session.headers["Accept"] = "application/json"
    return session


class WooCommerceClient:
    """Calls one store's REST API with that store's consumer key and secret."""

    def __init__(
        self,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] | None = None,
        timeout: float = 10.0,
        max_attempts: int = 4,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        jitter: Callable[[], float] = random.random,
        circuit: CircuitBreaker | None = None,
    ) -> None:
        parts = urlsplit(store_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise WooCommerceApiError(f"{store_url!r} is not an http(s) store URL.")
        self.store_url = store_url.rstrip("/")
        self._auth: AuthBase = (
            HTTPBasicAuth(consumer_key, consumer_secret)
            if parts.scheme == "https"
            else OAuth1(consumer_key, consumer_secret, signature_type="query")
        )
        self.session = session or woocommerce_http()
        self.sleep = sleep or wait
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.jitter = jitter
        self.circuit = StoreCircuit(
            circuit or current_breaker(), circuit_key("woocommerce", self.store_url)
        )

    def __repr__(self) -> str:  # never show the keys
        return f"WooCommerceClient(store_url={self.store_url!r})"

    def url(self, path: str) -> str:
        return self.store_url + API_PREFIX + path.lstrip("/")

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._call("GET", path, params=params).json()

    def post(self, path: str, json: Any) -> Any:
        return self._call("POST", path, json=json).json()

    def put(self, path: str, json: Any) -> Any:
        return self._call("PUT", path, json=json).json()

    def delete(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._call("DELETE", path, params=params).json()

    def get_page(self, path: str, page: int, params: Mapping[str, Any] | None = None) -> Page:
        """One page of a collection (`per_page` 100 unless given)."""
        query = {"per_page": MAX_PER_PAGE, **dict(params or {}), "page": page}
        response = self._call("GET", path, params=query)
        items = response.json()
        if not isinstance(items, list):
            raise WooCommerceApiError(f"{self.url(path)} did not answer with a list.")
        return Page(
            items=[item for item in items if isinstance(item, dict)],
            page=page,
            total_pages=_header_int(response, "X-WP-TotalPages") or (1 if items else 0),
            total=_header_int(response, "X-WP-Total"),
        )

    def iterate(
        self, path: str, params: Mapping[str, Any] | None = None, max_pages: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, page by page, until `X-WP-TotalPages` says stop."""
        page_number = 1
        while page_number <= max_pages:
            page = self.get_page(path, page_number, params)
            yield from page.items
            if page_number >= page.total_pages or not page.items:
                return
            page_number += 1

    def _call(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> requests.Response:
        url = self.url(path)
        problem = "no attempt was made"
        self.circuit.before_call()
        in_trouble = False  # the last attempt got no answer or a 5xx
        for attempt in range(1, self.max_attempts + 1):
            in_trouble = True
            try:
                response = self.session.request(
                    method,
                    url,
                    params=dict(params) if params else None,
                    json=json,
                    auth=self._auth,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                problem = f"could not reach {self.store_url} ({type(exc).__name__})"
                self._pause(attempt, self._backoff(attempt))
                continue
            status = response.status_code
            in_trouble = failed_status(status)
            self.circuit.answered(status)
            if status in RETRYABLE_STATUSES:
                problem = f"{self.store_url} answered HTTP {status}"
                wait = _retry_after(response)
                self._pause(attempt, self._backoff(attempt) if wait is None else wait)
                continue
            if status in (401, 403):
                raise WooCommerceApiError(
                    f"{self.store_url} refused Encore's REST API keys (HTTP {status}"
                    f"{_wc_message(response)}): the keys were revoked or lost their read/write "
                    "permission. Connect the store again from the Encore plugin's settings.",
                    status=status,
                    code="unauthorized",
                )
            if not 200 <= status < 300:
                raise WooCommerceApiError(
                    f"{method} {url} answered HTTP {status}{_wc_message(response)}.",
                    status=status,
                    code=_wc_code(response),
                )
            try:
                response.json()
            except ValueError as exc:
                raise WooCommerceApiError(
                    f"{method} {url} did not answer JSON (HTTP {status}); is the WordPress REST "
                    "API reachable at /wp-json/ (pretty permalinks on)?",
                    status=status,
                ) from exc
            return response
        if in_trouble:
            self.circuit.failed()
        raise WooCommerceApiError(
            f"Gave up on {method} {url} after {self.max_attempts} attempts: {problem}. "
            "The store may be down; the job will be retried later.",
            code="retries_exhausted",
        )

    def _backoff(self, attempt: int) -> float:
        return backoff_seconds(attempt, self.backoff_base, self.backoff_max, self.jitter)

    def _pause(self, attempt: int, seconds: float) -> None:
        if attempt < self.max_attempts:  # no point sleeping before giving up
            self.sleep(max(0.0, min(seconds, self.backoff_max)))


def _header_int(response: requests.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _error_body(response: requests.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, Mapping) else {}


def _wc_message(response: requests.Response) -> str:
    """WooCommerce errors are `{"code", "message", "data": {"status"}}`; keep the message."""
    message = _error_body(response).get("message")
    return f": {str(message)[:300]}" if message else ""


def _wc_code(response: requests.Response) -> str | None:
    code = _error_body(response).get("code")
    return str(code) if code else None
