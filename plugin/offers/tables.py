"""Tables of the offers engine (recommender state, merchant offers, discount codes, bandit, conversions)."""

from __future__ import annotations
