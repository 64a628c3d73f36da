"""Databases for tests: every test that touches SQL runs on SQLite and on PostgreSQL.

Migrating a schema costs far more than a test, so each pytest process migrates once per engine:
a SQLite file that every test gets a copy of, and a PostgreSQL database of its own (named after
the process, so parallel runs on one server never meet) that is emptied before each test. Tests
that must start from nothing (the migration tests) ask for an empty database instead.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from plugin.db import Database

ENGINES = ("sqlite", "postgresql")
# What `PostgresServer.create` names databases: encore_<purpose>_<pid>_<8 hex digits>.
ABANDONED_NAME = re.compile(r"encore_(?:test|empty)_(\d+)_[0-9a-f]{8}")


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest migration."""
    database = Database(url)
    try:
        database.create_schema()
    finally:
        database.dispose()


def copy_sqlite_database(source: Path, target: Path) -> str:
    """Copy a closed SQLite database (and its log, if any) and return the copy's URL."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return f"sqlite:///{target}"


def stored_bytes(url: str) -> bytes:
    """Everything the database holds: SQLite's file and log bytes, PostgreSQL's rows as text.

    Tests search it for secrets that must only ever be stored encrypted.
    """
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        files = (path, Path(f"{path}-wal"))
        return b"".join(file.read_bytes() for file in files if file.exists())
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            tables = connection.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).all()
            rows = [
                row
                for table in tables
                for row in connection.scalars(text(f'SELECT t::text FROM "{table}" AS t'))
            ]
    finally:
        engine.dispose()
    return "\n".join(rows).encode()


class PostgresServer:
    """Creates and drops databases on the server `postgres_url()` names."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def database_url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, prefix: str = "encore") -> str:
        """A new empty database, unique to this process; returns its URL."""
        name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.database_url(name)

    def drop(self, url: str) -> None:
        """Drop a database made by `create`, closing whatever is still connected to it."""
        name = make_url(url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_abandoned(self) -> list[str]:
        """Drop databases that test runs killed before their cleanup left behind."""
        with self._admin.connect() as connection:
            names = connection.scalars(text("SELECT datname FROM pg_database")).all()
        abandoned = [name for name in names if _made_by_a_dead_process(name)]
        for name in abandoned:
            self.drop(self.database_url(name))
        return abandoned

    @contextmanager
    def temporary_database(self, prefix: str = "encore") -> Iterator[str]:
        url = self.create(prefix)
        try:
            yield url
        finally:
            self.drop(url)

    def dispose(self) -> None:
        self._admin.dispose()


def _made_by_a_dead_process(name: str) -> bool:
    """True for a name `PostgresServer.create` gave whose process no longer runs here."""
    made = ABANDONED_NAME.fullmatch(name)
    if made is None:
        return False
    try:
        os.kill(int(made.group(1)), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


class ReusablePostgresDatabase:
    """One migrated PostgreSQL database that `empty()` returns to its just-migrated state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine = create_engine(url, poolclass=NullPool)
        schema = MetaData()
        schema.reflect(self._engine)
        # Children before parents, so deleting rows never trips a foreign key.
        self._tables = [
            t.name for t in reversed(schema.sorted_tables) if t.name != "alembic_version"
        ]
        with self._engine.connect() as connection:
            self._sequences = list(
                connection.scalars(
                    text(
                        "SELECT sequence_name FROM information_schema.sequences "
                        "WHERE sequence_schema = current_schema()"
                    )
                )
            )

    def empty(self) -> None:
        """Delete every row and restart every id sequence (much faster than TRUNCATE here)."""
        with self._engine.begin() as connection:
            # A connection a previous test left open could hold locks; nothing may outlive it.
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            for table in self._tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
            for sequence in self._sequences:
                connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))

    def dispose(self) -> None:
        self._engine.dispose()
