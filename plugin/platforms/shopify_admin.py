"""A small Shopify Admin GraphQL client on `requests`: retries, cost throttling, clear errors."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from flask import current_app
from sqlalchemy.orm import Session

from plugin.auth.shopify_oauth import is_valid_shop_domain, shopify_http
from plugin.auth.tokens import shopify_access_token
from plugin.models import Store
from plugin.platforms.backoff import backoff_seconds
from plugin.platforms.circuit import (
    CircuitBreaker,
    StoreCircuit,
    circuit_key,
    current_breaker,
    failed_status,
)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class ShopifyApiError(RuntimeError):
    """A Shopify Admin API call failed for good; the message says why and what to do."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ShopifyAdminClient:
    """Runs GraphQL against one shop's Admin API with that shop's access token."""

    def __init__(
        self,
        shop: str,
        access_token: str,
        api_version: str,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 10.0,
        max_attempts: int = 5,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        jitter: Callable[[], float] = random.random,
        circuit: CircuitBreaker | None = None,
    ) -> None:
        if not is_valid_shop_domain(shop):
            raise ShopifyApiError(f"{shop!r} is not a myshopify.com domain; refusing to call it.")
        self.shop = shop
        self._access_token = access_token
        self.api_version = api_version
        self.session = session or shopify_http()
        self.sleep = sleep
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.jitter = jitter
        self.circuit = StoreCircuit(circuit or current_breaker(), circuit_key("shopify", self.shop))

    def __repr__(self) -> str:  # never show the token
        return f"ShopifyAdminClient(shop={self.shop!r}, api_version={self.api_version!r})"

    @property
    def url(self) -> str:
        return f"https://{self.shop}/admin/api/{self.api_version}/graphql.json"

    def execute(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run a query or mutation and return its `data`; retries what is worth retrying."""
        body = {"query": query, "variables": dict(variables or {})}
        problem = "no attempt was made"
        self.circuit.before_call()
        in_trouble = False  # the last attempt got no answer or a 5xx
        for attempt in range(1, self.max_attempts + 1):
            in_trouble = True
            try:
                response = self.session.post(
                    self.url,
                    json=body,
                    headers={
                        "X-Shopify-Access-Token": self._access_token,
                        "Accept": "application/json",
                    },
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                problem = f"could not reach {self.shop} ({type(exc).__name__})"
                self._pause(attempt, self._backoff(attempt))
                continue

            status = response.status_code
            in_trouble = failed_status(status)
            self.circuit.answered(status)
            if status in (401, 403):
                raise ShopifyApiError(
                    f"Shopify refused Encore's access token for {self.shop} (HTTP {status}): the "
                    "app was uninstalled, the token was revoked, or a scope is missing. The "
                    "merchant must open Encore in the Shopify admin (or reinstall it).",
                    status=status,
                    code="unauthorized",
                )
            payload = _json_or_none(response)
            if status in RETRYABLE_STATUSES:
                problem = f"{self.shop} answered HTTP {status}"
                wait = _retry_after(response)
                if wait is None and isinstance(payload, Mapping):
                    wait = _throttle_wait(payload)
                self._pause(attempt, self._backoff(attempt) if wait is None else wait)
                continue
            if status != 200 or not isinstance(payload, Mapping):
                raise ShopifyApiError(
                    f"Shopify answered HTTP {status} to a GraphQL call on {self.shop} "
                    f"(API version {self.api_version}); check SHOPIFY_API_VERSION is supported.",
                    status=status,
                )

            errors = payload.get("errors")
            if errors:
                if _is_throttled(errors):
                    problem = f"{self.shop} kept throttling the query"
                    wait = _throttle_wait(payload, self.shop)
                    self._pause(attempt, self._backoff(attempt) if wait is None else wait)
                    continue
                raise ShopifyApiError(
                    f"Shopify rejected a GraphQL call on {self.shop}: {_messages(errors)}",
                    status=status,
                    code=_first_code(errors),
                )
            data = payload.get("data")
            if not isinstance(data, dict):
                raise ShopifyApiError(f"Shopify answered {self.shop}'s GraphQL call without data.")
            return data
        if in_trouble:
            self.circuit.failed()
        raise ShopifyApiError(
            f"Gave up on a GraphQL call after {self.max_attempts} attempts: {problem}. "
            "Shopify may be having trouble; the job will be retried later.",
            code="retries_exhausted",
        )

    def _backoff(self, attempt: int) -> float:
        return backoff_seconds(attempt, self.backoff_base, self.backoff_max, self.jitter)

    def _pause(self, attempt: int, seconds: float) -> None:
        if attempt < self.max_attempts:  # no point sleeping before giving up
            self.sleep(max(0.0, seconds))


def raise_user_errors(result: Mapping[str, Any] | None, what: str) -> None:
    """Mutations report invalid input in `userErrors`; turn any into a ShopifyApiError."""
    errors = (result or {}).get("userErrors") or []
    if errors:
        raise ShopifyApiError(f"Shopify did not accept {what}: {_messages(errors)}", code="user")


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _is_throttled(errors: Any) -> bool:
    return isinstance(errors, list) and any(
        isinstance(e, Mapping) and (e.get("extensions") or {}).get("code") == "THROTTLED"
        for e in errors
    )


def _throttle_wait(payload: Mapping[str, Any], shop: str | None = None) -> float | None:
    """Seconds until the cost bucket holds enough points for the query that was refused."""
    cost = (payload.get("extensions") or {}).get("cost") or {}
    bucket = cost.get("throttleStatus") or {}
    try:
        requested = float(cost["requestedQueryCost"])
        available = float(bucket["currentlyAvailable"])
        restore_rate = float(bucket["restoreRate"])
    except (KeyError, TypeError, ValueError):
        return None
    maximum = bucket.get("maximumAvailable")
    if shop and isinstance(maximum, int | float) and requested > maximum:
        raise ShopifyApiError(
            f"A GraphQL query costs {requested:g} points, more than {shop}'s bucket holds "
            f"({maximum:g}); ask for fewer items per page.",
            code="MAX_COST_EXCEEDED",
        )
    if restore_rate <= 0:
        return None
    return max(0.0, (requested - available) / restore_rate)


def _messages(errors: Any) -> str:
    if not isinstance(errors, list):
        return str(errors)[:500]
    texts = []
    for error in errors:
        if isinstance(error, Mapping):
            field = error.get("field")
            prefix = f"{'.'.join(map(str, field))}: " if isinstance(field, list) and field else ""
            texts.append(prefix + str(error.get("message") or error))
        else:
            texts.append(str(error))
    return "; ".join(texts)[:500]


def _first_code(errors: Any) -> str | None:
    if isinstance(errors, list):
        for error in errors:
            if isinstance(error, Mapping):
                code = (error.get("extensions") or {}).get("code")
                if code:
                    return str(code)
    return None


def admin_client_for(db: Session, store: Store, **options: Any) -> ShopifyAdminClient:
    """A client for this store, with a fresh access token and the configured API version."""
    config = current_app.config
    return ShopifyAdminClient(
        store.domain,
        shopify_access_token(db, store),
        config["SHOPIFY_API_VERSION"],
        timeout=float(config.get("HTTP_TIMEOUT_SECONDS", 10.0)),
        **options,
    )
