"""How long a platform client waits before retrying a call (shared by the Shopify and
WooCommerce clients)."""

from __future__ import annotations

from collections.abc import Callable


def backoff_seconds(
    attempt: int, base: float, ceiling: float, jitter: Callable[[], float]
) -> float:
    """Exponential backoff with jitter, so many workers do not retry in step.

    Doubles from `base` per attempt up to `ceiling`, then waits between half and all of it.
    """
    longest = min(ceiling, base * 2 ** (attempt - 1))
    return float(longest / 2 + jitter() * longest / 2)
