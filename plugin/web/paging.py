"""Pages of a long list: which slice to show and how to link to its neighbours."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import request

T = TypeVar("T")
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int  # from 1
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the first item shown (0 when the list is empty)."""
        return 0 if not self.items else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0


def requested_page(total: int, per_page: int = PER_PAGE) -> int:
    """The `?page=` asked for, kept within the pages that exist (bad input shows page 1)."""
    number = request.args.get("page", default=1, type=int) or 1
    last = max(1, math.ceil(total / per_page))
    return min(max(number, 1), last)
