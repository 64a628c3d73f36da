"""The migrations are the schema: an empty database upgrades to exactly what the models say.

Each test runs on SQLite and on PostgreSQL, starting from a database without any table.
"""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from plugin import create_app
from plugin.db import alembic_config
from plugin.models import Base


def engine_of(database_url: str) -> Engine:
    app = create_app({"DATABASE_URL": database_url})
    engine: Engine = app.extensions["encore_db"].engine
    return engine


def schema_differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        differences: list[object] = compare_metadata(
            MigrationContext.configure(connection), Base.metadata
        )
    return differences


def test_create_app_builds_the_schema_on_an_empty_database(empty_database_url: str) -> None:
    engine = engine_of(empty_database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"stores", "orders", "line_items", "inbox", "shipments", "alembic_version"} <= tables


def test_migrations_match_the_models(empty_database_url: str) -> None:
    engine = engine_of(empty_database_url)
    differences = schema_differences(engine)
    engine.dispose()
    assert differences == []


def test_upgrade_is_safe_to_run_twice(empty_database_url: str) -> None:
    app = create_app({"DATABASE_URL": empty_database_url})
    database = app.extensions["encore_db"]
    database.create_schema()
    tables = inspect(database.engine).get_table_names()
    database.dispose()
    assert "orders" in tables


def test_downgrade_to_nothing_and_upgrade_again_gives_the_same_schema(
    empty_database_url: str,
) -> None:
    engine = engine_of(empty_database_url)
    config = alembic_config(empty_database_url, engine)
    command.downgrade(config, "base")
    left_after_downgrade = set(inspect(engine).get_table_names())
    command.upgrade(config, "head")
    differences = schema_differences(engine)
    engine.dispose()
    assert left_after_downgrade <= {"alembic_version"}
    assert differences == []
