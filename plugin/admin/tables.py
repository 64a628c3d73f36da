"""Tables of the merchant admin (admin users and their stores)."""

from __future__ import annotations
