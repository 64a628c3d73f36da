"""A sliding-window limit on order lookups, so order numbers cannot be guessed in bulk.

In-process: each web process counts on its own, which is enough to make guessing slow; a
shared limit (Redis) can replace it behind the same `allow` call when several run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask


class SlidingWindowLimiter:
    """At most `limit` hits per key within any `window` seconds."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: Hashable) -> bool:
        """Count a hit for `key`; False (and not counted) when the key is over its limit."""
        now = self._clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._forget_idle(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def retry_after(self, key: Hashable) -> int:
        """Whole seconds until `key` may try again (0 when it may now)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.get(key)
            if not hits or len(hits) < self.limit:
                return 0
            return max(1, int(hits[0] + self.window - now + 0.999))

    def _forget_idle(self, now: float) -> None:
        """Drop keys with no hit inside the window, so memory stays bounded under a scan."""
        idle = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]
        while len(self._hits) >= self.max_keys:
            # Still full of live keys (a scan): forget the longest-known ones first.
            del self._hits[next(iter(self._hits))]


def limiter_on_app(app: Flask, name: str, limit: int, window: float) -> SlidingWindowLimiter:
    """The app's limiter called `name` (one per app)."""
    key = f"encore_limiter.{name}"
    limiter: Any = app.extensions.get(key)
    if limiter is None:
        limiter = app.extensions.setdefault(key, SlidingWindowLimiter(limit, window))
    assert isinstance(limiter, SlidingWindowLimiter)
    return limiter
