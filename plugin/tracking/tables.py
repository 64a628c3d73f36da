"""Tables of tracking (carrier accounts, notifications, feedback)."""

from __future__ import annotations
