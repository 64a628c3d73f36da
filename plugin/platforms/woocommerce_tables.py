"""Tables of the WooCommerce integration (connect state, import progress, reconciliation)."""

from __future__ import annotations
