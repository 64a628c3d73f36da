"""Tables of the offers engine: recommender state, merchant offers, discount codes, bandit."""

from __future__ import annotations
