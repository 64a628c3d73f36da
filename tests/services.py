"""Servers some tests need (PostgreSQL, Redis): their address, or a skip that says why.

`.ci/run` installs and starts both and exports their addresses. A local run without them
skips those tests with the reason; under CI=true a missing server fails the test instead, so
CI never passes by skipping.
"""

from __future__ import annotations

import os

import pytest

POSTGRES_URL_VARIABLE = "ENCORE_TEST_POSTGRES_URL"
REDIS_URL_VARIABLE = "ENCORE_TEST_REDIS_URL"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must not skip this: .ci/run starts the server)")
    pytest.skip(reason)


def postgres_url() -> str:
    """A PostgreSQL server URL (postgresql+psycopg://...) whose role may create databases."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not url:
        _missing(
            f"PostgreSQL tests need a server: set {POSTGRES_URL_VARIABLE}="
            "postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DB (.ci/run starts one)"
        )
    return url


def redis_url() -> str:
    """A Redis server URL (redis://host:port/db)."""
    url = os.environ.get(REDIS_URL_VARIABLE, "")
    if not url:
        _missing(
            f"Redis tests need a server: set {REDIS_URL_VARIABLE}=redis://127.0.0.1:6379/0 "
            "(.ci/run starts one)"
        )
    return url
