"""Engine and sessions: one scoped session per request or job, removed on teardown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

# How long SQLite waits for another connection's write lock before it gives up.
SQLITE_BUSY_WAIT_SECONDS = 30

# Inside the package, so an installed Encore (wheel, Docker image) carries its migrations.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Database:
    """The app's database: an engine and a thread-scoped session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.session: scoped_session[Session] = scoped_session(self.session_factory)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def init_app(self, app: Flask) -> None:
        app.extensions["encore_db"] = self

        @app.teardown_appcontext
        def remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

    @contextmanager
    def new_session(self) -> Iterator[Session]:
        """A session of its own (for worker threads), closed on exit."""
        session = self.session_factory()
        try:
            yield session
        finally:
            session.close()

    def is_empty(self) -> bool:
        return not inspect(self.engine).get_table_names()

    def create_schema(self) -> None:
        """Bring an empty or older database to the newest migration."""
        from alembic import command

        command.upgrade(alembic_config(self.url, self.engine), "head")

    def dispose(self) -> None:
        self.session.remove()
        self.engine.dispose()


def alembic_config(url: str, engine: Engine | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_WAIT_SECONDS}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_WAIT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a webhook acknowledged after commit survives even a power cut, not only a crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def get_db() -> Database:
    db: Database = current_app.extensions["encore_db"]
    return db


def session() -> Session:
    """The current thread's session."""
    return get_db().session()
