"""`encore admin create-user EMAIL` and `encore admin grant EMAIL STORE`."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.admin.passwords import password_matches
from plugin.admin.tables import AdminUser
from plugin.cli import main
from tests.admin_helpers import make_store

PASSPHRASE = "a long enough passphrase"


def encore(app: Flask, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin, obj=ScriptInfo(create_app=lambda: app))


def admins(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(AdminUser)) or 0)


def test_create_user_with_a_store(app: Flask, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    result = encore(
        app,
        "admin",
        "create-user",
        "Ann@Corner.example",
        "--store",
        store.domain,
        "--password-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Admin ann@corner.example created (Corner Shop)" in result.output
    user = db.scalar(select(AdminUser).where(AdminUser.email == "ann@corner.example"))
    assert user is not None
    assert password_matches(user.password_hash, PASSPHRASE)
    assert [m.store_id for m in user.memberships] == [store.id]


def test_create_user_prompts_twice_for_the_password(app: Flask, db: Session) -> None:
    result = encore(app, "admin", "create-user", "bob@corner.example", stdin=f"{PASSPHRASE}\n" * 2)
    assert result.exit_code == 0, result.output
    assert admins(db) == 1


def test_refusals_create_nobody(app: Flask, db: Session) -> None:
    short = encore(
        app, "admin", "create-user", "ann@corner.example", "--password-stdin", stdin="short\n"
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    unknown = encore(
        app,
        "admin",
        "create-user",
        "ann@corner.example",
        "--store",
        "https://nowhere.example",
        "--password-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert unknown.exit_code != 0 and "No store" in unknown.output
    assert admins(db) == 0
    encore(
        app,
        "admin",
        "create-user",
        "ann@corner.example",
        "--password-stdin",
        stdin=PASSPHRASE + "\n",
    )
    twice = encore(
        app,
        "admin",
        "create-user",
        "ann@corner.example",
        "--password-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert twice.exit_code != 0 and "already an admin" in twice.output
    assert admins(db) == 1


def test_grant_adds_a_store(app: Flask, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    encore(
        app,
        "admin",
        "create-user",
        "ann@corner.example",
        "--password-stdin",
        stdin=PASSPHRASE + "\n",
    )
    result = encore(app, "admin", "grant", "ann@corner.example", store.public_id)
    assert result.exit_code == 0 and "now manages Corner Shop" in result.output
    again = encore(app, "admin", "grant", "ann@corner.example", store.public_id)
    assert "already manages" in again.output
    db.expire_all()
    user = db.scalar(select(AdminUser))
    assert user is not None and [m.store_id for m in user.memberships] == [store.id]
