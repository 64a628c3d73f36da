"""Tables of the learned recommender: per-shopper purchase memory and product neighbours."""

from __future__ import annotations
