"""A circuit breaker per store: stop calling a platform API that keeps failing, for a while.

After CIRCUIT_FAILURE_THRESHOLD failed calls in a row to one store (a call fails when every
retry got a connection error, a timeout or HTTP 5xx; a 4xx is our request's fault and counts
as an answer, 429 as neither), calls to that store raise `CircuitOpen` at once for
CIRCUIT_COOLDOWN_SECONDS. Then one trial call is let through (half-open): success closes the
circuit, failure opens it for another cool-down. Other stores are not affected.

State lives in Redis when CIRCUIT_STORAGE_URI (else REDIS_URL) is set, so every web process
and worker (Celery or embedded) sees the same circuit; without Redis each process keeps its
own. Not a database table: the breaker writes while a job's transaction is open, and on
SQLite a second writer would wait for that very transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from flask import Flask, current_app, has_app_context

EXTENSION = "encore_circuits"
T = TypeVar("T")
log = logging.getLogger(__name__)


class CircuitOpen(RuntimeError):
    """Calls to this store are paused; a job should be retried after `retry_in` seconds.

    Transient by nature: the store's trouble, not the job's. The worker should put the job
    back without counting an attempt.
    """

    def __init__(self, key: str, retry_in: float) -> None:
        self.key = key
        self.retry_in = max(1.0, retry_in)
        super().__init__(
            f"{key}: its API failed repeatedly, so calls are paused; "
            f"retry in {self.retry_in:.0f} s."
        )


@dataclass(frozen=True)
class CircuitState:
    failures: int
    open_until: float | None  # epoch seconds; None while closed


class CircuitStorage(Protocol):
    def state(self, key: str) -> CircuitState: ...

    def add_failure(self, key: str, threshold: int, open_until: float) -> CircuitState: ...

    def claim_trial(self, key: str, lease: float) -> bool: ...

    def reset(self, key: str) -> None: ...


@dataclass
class MemoryCircuitStorage:
    """One process's circuits."""

    clock: Callable[[], float] = time.time
    _failures: dict[str, int] = field(default_factory=dict)
    _open_until: dict[str, float] = field(default_factory=dict)
    _trials: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def state(self, key: str) -> CircuitState:
        with self._lock:
            return CircuitState(self._failures.get(key, 0), self._open_until.get(key))

    def add_failure(self, key: str, threshold: int, open_until: float) -> CircuitState:
        with self._lock:
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
            if failures >= threshold:
                self._open_until[key] = open_until
                self._trials.pop(key, None)
            return CircuitState(failures, self._open_until.get(key))

    def claim_trial(self, key: str, lease: float) -> bool:
        now = self.clock()
        with self._lock:
            if self._trials.get(key, 0.0) > now:
                return False
            self._trials[key] = now + lease
            return True

    def reset(self, key: str) -> None:
        with self._lock:
            for values in (self._failures, self._open_until, self._trials):
                values.pop(key, None)


class RedisCircuitStorage:
    """Circuits shared by every process that uses the same Redis."""

    def __init__(self, url: str, prefix: str = "encore:circuit", ttl: int = 86400) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self.prefix = prefix
        self.ttl = ttl  # a count nobody touched for a day starts again from zero

    def _key(self, key: str, part: str) -> str:
        return f"{self.prefix}:{key}:{part}"

    def state(self, key: str) -> CircuitState:
        values = self.redis.mget(self._key(key, "failures"), self._key(key, "open_until"))
        failures, open_until = cast(list[Any], values)
        return CircuitState(
            int(failures or 0), float(open_until) if open_until is not None else None
        )

    def add_failure(self, key: str, threshold: int, open_until: float) -> CircuitState:
        pipe = self.redis.pipeline()
        pipe.incr(self._key(key, "failures"))
        pipe.expire(self._key(key, "failures"), self.ttl)
        failures = int(pipe.execute()[0])
        if failures >= threshold:
            pipe = self.redis.pipeline()
            pipe.set(self._key(key, "open_until"), repr(open_until), ex=self.ttl)
            pipe.delete(self._key(key, "trial"))
            pipe.execute()
            return CircuitState(failures, open_until)
        return self.state(key)

    def claim_trial(self, key: str, lease: float) -> bool:
        claimed = self.redis.set(self._key(key, "trial"), "1", nx=True, px=int(lease * 1000))
        return bool(claimed)

    def reset(self, key: str) -> None:
        self.redis.delete(*(self._key(key, part) for part in ("failures", "open_until", "trial")))


@dataclass
class CircuitBreaker:
    """Decides, per store key, whether a call may go out, and learns from how it went."""

    storage: CircuitStorage
    threshold: int = 5
    cooldown: float = 60.0
    clock: Callable[[], float] = time.time

    def before_call(self, key: str) -> None:
        """Return when a call may go out; raise CircuitOpen while the store is paused."""
        state = self._quietly(lambda: self.storage.state(key))
        if state is None or state.open_until is None:
            return
        now = self.clock()
        if now < state.open_until:
            raise CircuitOpen(key, state.open_until - now)
        # Cool-down over: one caller gets the trial call; the others keep waiting.
        if self._quietly(lambda: self.storage.claim_trial(key, lease=self.cooldown)) is False:
            raise CircuitOpen(key, self.cooldown)

    def record_success(self, key: str) -> None:
        state = self._quietly(lambda: self.storage.state(key))
        if state is not None and state != CircuitState(0, None):
            self._quietly(lambda: self.storage.reset(key))

    def record_failure(self, key: str) -> None:
        open_until = self.clock() + self.cooldown
        self._quietly(lambda: self.storage.add_failure(key, self.threshold, open_until))

    def _quietly(self, step: Callable[[], T]) -> T | None:
        """Run a storage step; an unreachable Redis must not stop calls to healthy stores."""
        try:
            return step()
        except Exception as exc:
            log.warning("circuit breaker storage failed (%s); calls go ahead", exc)
            return None

    def is_open(self, key: str) -> bool:
        """True while calls to this store fail fast (for health pages)."""
        state = self._quietly(lambda: self.storage.state(key))
        return (
            state is not None and state.open_until is not None and self.clock() < state.open_until
        )


@dataclass(frozen=True)
class StoreCircuit:
    """One store's circuit as its API client uses it; without a breaker every call goes out."""

    breaker: CircuitBreaker | None
    key: str

    def before_call(self) -> None:
        """Raise CircuitOpen while the store is paused."""
        if self.breaker is not None:
            self.breaker.before_call(self.key)

    def answered(self, status: int) -> None:
        """The store answered: unless with a 5xx or 429, its circuit closes."""
        if self.breaker is not None and not failed_status(status) and status != 429:
            self.breaker.record_success(self.key)

    def failed(self) -> None:
        """A whole call (every retry) got no answer or 5xx: one failure for the breaker."""
        if self.breaker is not None:
            self.breaker.record_failure(self.key)


def failed_status(status: int) -> bool:
    """An answer that says the store is in trouble (not that our request was wrong)."""
    return status >= 500


def circuit_key(platform: str, store: str) -> str:
    return f"{platform}:{store}"


def breaker_from_config(config: Mapping[str, Any]) -> CircuitBreaker:
    url = config.get("CIRCUIT_STORAGE_URI") or config.get("REDIS_URL")
    storage: CircuitStorage = RedisCircuitStorage(str(url)) if url else MemoryCircuitStorage()
    return CircuitBreaker(
        storage,
        threshold=max(1, int(config.get("CIRCUIT_FAILURE_THRESHOLD", 5))),
        cooldown=max(1.0, float(config.get("CIRCUIT_COOLDOWN_SECONDS", 60.0))),
    )


def app_breaker(app: Flask) -> CircuitBreaker:
    breaker: CircuitBreaker | None = app.extensions.get(EXTENSION)
    if breaker is None:
        breaker = app.extensions.setdefault(EXTENSION, breaker_from_config(app.config))
    return breaker


def current_breaker() -> CircuitBreaker | None:
    """The running app's breaker; None outside an app (a client built by hand)."""
    if not has_app_context():
        return None
    return app_breaker(current_app._get_current_object())  # type: ignore[attr-defined]
