"""The migrations are the schema: an empty database upgrades to exactly what the models say."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from plugin import create_app
from plugin.models import Base


def test_create_app_builds_the_schema_on_an_empty_database(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    tables = set(inspect(app.extensions["encore_db"].engine).get_table_names())
    assert {"stores", "orders", "line_items", "inbox", "shipments", "alembic_version"} <= tables


def test_migrations_match_the_models(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    with app.extensions["encore_db"].engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_is_safe_to_run_twice(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    app.extensions["encore_db"].create_schema()
    assert "orders" in inspect(app.extensions["encore_db"].engine).get_table_names()
