"""A short in-process memory of what a surface shows for an order.

Extensions load the same order several times in a few seconds (thank-you page, reloads, the
order-status page opened from the email), and what they show changes slowly. Each process keeps
its own small cache: nothing to invalidate across processes, and a stale answer lasts at most
`ttl` seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from flask import Flask

V = TypeVar("V")

DEFAULT_TTL_SECONDS = 30.0
DEFAULT_MAX_ENTRIES = 10_000


class TtlCache(Generic[V]):
    """Thread-safe, size-capped (least recently used goes first), entries expire after `ttl`."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max(1, max_entries)
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires_at, value = entry
            if expires_at <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._entries[key] = (self._clock() + self.ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def cache_on_app(
    app: Flask, name: str, ttl: float, max_entries: int = DEFAULT_MAX_ENTRIES
) -> TtlCache[Any]:
    """The app's cache called `name` (one per app, so test apps never share entries)."""
    key = f"encore_cache.{name}"
    cache: TtlCache[Any] | None = app.extensions.get(key)
    if cache is None:
        cache = app.extensions.setdefault(key, TtlCache(ttl=ttl, max_entries=max_entries))
    return cache
