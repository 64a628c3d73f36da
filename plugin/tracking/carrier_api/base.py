"""What every carrier adapter returns, and the HTTP plumbing they share."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests

from plugin.tracking.status import TrackingStatus

Credentials = Mapping[str, str]


class CarrierApiError(RuntimeError):
    """The carrier could not answer. `transient` errors are retried at the next poll."""

    def __init__(self, message: str, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class TrackEvent:
    at: datetime
    status: TrackingStatus
    message: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class TrackResult:
    status: TrackingStatus
    events: tuple[TrackEvent, ...] = ()
    estimated_delivery: datetime | None = None
    delivered_at: datetime | None = None
    service: str | None = None
    carrier_status: str | None = None  # the carrier's own code, kept for support


def iso_time(value: Any) -> datetime | None:
    """An ISO 8601 time from a carrier (naive ones are UTC); None when missing or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def location_text(*parts: Any) -> str | None:
    text = ", ".join(str(p).strip() for p in parts if p and str(p).strip())
    return text or None


@dataclass
class _Token:
    value: str
    expires_at: float


_TOKENS: dict[tuple[str, str], _Token] = {}
_TOKENS_LOCK = threading.Lock()


def clear_token_cache() -> None:
    with _TOKENS_LOCK:
        _TOKENS.clear()


@dataclass
class CarrierClient:
    """One carrier account. Subclasses implement `track` (and `_fetch_token` for OAuth)."""

    credentials: Credentials
    timeout: float = 10.0
    session: requests.Session = field(default_factory=requests.Session)

    code: ClassVar[str] = ""
    required: ClassVar[tuple[str, ...]] = ()
    production_url: ClassVar[str] = ""
    sandbox_url: ClassVar[str] = ""
    token_path: ClassVar[str] = ""

    def __post_init__(self) -> None:
        missing = [key for key in self.required if not self.credentials.get(key)]
        if missing:
            raise CarrierApiError(
                f"{self.code} credentials need {', '.join(missing)}", transient=False
            )

    def track(self, tracking_number: str) -> TrackResult:
        raise NotImplementedError

    # ---- shared HTTP ------------------------------------------------------------------

    def _token(self) -> str:
        """An OAuth access token, reused until a minute before it expires."""
        key = (self.code, str(self.credentials.get("client_id")))
        with _TOKENS_LOCK:
            cached = _TOKENS.get(key)
            if cached is not None and cached.expires_at > time.monotonic() + 60:
                return cached.value
        value, lifetime = self._fetch_token()
        with _TOKENS_LOCK:
            _TOKENS[key] = _Token(value, time.monotonic() + lifetime)
        return value

    @property
    def base(self) -> str:
        """The carrier's test system when the account says `"sandbox": true`, else production."""
        sandbox = self.credentials.get("sandbox") in ("1", "true", True)
        return self.sandbox_url if sandbox else self.production_url

    def _fetch_token(self) -> tuple[str, float]:
        """An OAuth client-credentials grant at `token_path`: (token, lifetime in seconds)."""
        body = self._request(
            "POST", f"{self.base}{self.token_path}", "token", **self._token_request()
        )
        return str(body["access_token"]), float(body.get("expires_in") or 3600)

    def _token_request(self) -> dict[str, Any]:
        """How this carrier wants the grant sent: form fields, JSON or HTTP basic auth."""
        raise NotImplementedError

    def _forget_token(self) -> None:
        with _TOKENS_LOCK:
            _TOKENS.pop((self.code, str(self.credentials.get("client_id"))), None)

    def _json(self, response: requests.Response, what: str) -> Any:
        """The JSON body of a 2xx answer; carrier errors become CarrierApiError."""
        if response.status_code == 401:
            self._forget_token()
            raise CarrierApiError(f"{self.code} refused the credentials ({what})", transient=True)
        if response.status_code == 404:
            raise CarrierApiError(f"{self.code} does not know this parcel yet", transient=True)
        if response.status_code == 429 or response.status_code >= 500:
            raise CarrierApiError(f"{self.code} answered {response.status_code} ({what})")
        if response.status_code >= 400:
            raise CarrierApiError(
                f"{self.code} rejected the request ({response.status_code}, {what})",
                transient=False,
            )
        try:
            return response.json()
        except ValueError as exc:
            raise CarrierApiError(f"{self.code} answered something that is not JSON") from exc

    def _request(self, method: str, url: str, what: str, **kwargs: Any) -> Any:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise CarrierApiError(
                f"{self.code} unreachable ({what}): {type(exc).__name__}"
            ) from exc
        return self._json(response, what)
