"""Password logins: argon2 hashes, a rate limit, CSRF on the form, and the demo store's door."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.admin.tables import AdminLoginAttempt, AdminUser
from plugin.demo.store import DEMO_DOMAIN, DEMO_NAME
from plugin.models import Platform, Store, utcnow
from tests.admin_helpers import PASSWORD, csrf_token_of, log_in, make_admin, make_store


def login_form_token(client: FlaskClient) -> str:
    return csrf_token_of(client.get("/admin/login").get_data(as_text=True))


def attempt(client: FlaskClient, email: str, password: str) -> Any:
    token = login_form_token(client)
    return client.post(
        "/admin/login", data={"email": email, "password": password, "csrf_token": token}
    )


@pytest.fixture
def ann(db: Session) -> AdminUser:
    return make_admin(db, "Ann@Corner.example", [make_store(db, "Corner Shop")])


def test_password_is_stored_as_argon2id(ann: AdminUser) -> None:
    assert ann.password_hash.startswith("$argon2id$")
    assert PASSWORD not in ann.password_hash


def test_login_with_the_right_password_opens_the_store(client: FlaskClient, ann: AdminUser) -> None:
    response = attempt(client, "ann@corner.example", PASSWORD)
    assert response.status_code == 302
    landing = client.get(response.headers["Location"], follow_redirects=True)
    assert landing.status_code == 200
    assert "Dashboard" in landing.get_data(as_text=True)


def test_email_is_not_case_sensitive(client: FlaskClient, ann: AdminUser) -> None:
    assert attempt(client, "ANN@corner.EXAMPLE", PASSWORD).status_code == 302


def test_wrong_password_and_unknown_email_look_the_same(
    client: FlaskClient, ann: AdminUser
) -> None:
    wrong = attempt(client, "ann@corner.example", "not the password at all")
    unknown = attempt(client, "nobody@corner.example", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.get_data(as_text=True)
    assert "do not match" in unknown.get_data(as_text=True)


def test_login_form_without_csrf_token_is_refused(
    client: FlaskClient, db: Session, ann: AdminUser
) -> None:
    client.get("/admin/login")
    response = client.post(
        "/admin/login", data={"email": "ann@corner.example", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert db.scalar(select(func.count()).select_from(AdminLoginAttempt)) == 0


def test_too_many_failures_lock_the_account_even_for_the_right_password(
    client: FlaskClient, app: Flask, ann: AdminUser
) -> None:
    for _ in range(app.config["ADMIN_LOGIN_LIMIT"]):
        assert attempt(client, "ann@corner.example", "guess guess guess").status_code == 401
    locked = attempt(client, "ann@corner.example", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.get_data(as_text=True)


def test_a_lockout_window_longer_than_a_day_keeps_counting_older_failures(
    client: FlaskClient, app: Flask, db: Session, ann: AdminUser
) -> None:
    app.config["ADMIN_LOGIN_WINDOW_SECONDS"] = 2 * 86400
    earlier = utcnow() - timedelta(hours=36)
    for _ in range(app.config["ADMIN_LOGIN_LIMIT"] - 1):
        db.add(
            AdminLoginAttempt(
                email="ann@corner.example", client_address="10.0.0.9", succeeded=False, at=earlier
            )
        )
    db.commit()
    # This failure is the limit's last one; recording it must not forget the older ones.
    assert attempt(client, "ann@corner.example", "guess guess guess").status_code == 401
    assert attempt(client, "ann@corner.example", PASSWORD).status_code == 429


def test_a_success_clears_earlier_failures(client: FlaskClient, app: Flask, ann: AdminUser) -> None:
    for _ in range(app.config["ADMIN_LOGIN_LIMIT"] - 1):
        attempt(client, "ann@corner.example", "guess guess guess")
    assert attempt(client, "ann@corner.example", PASSWORD).status_code == 302
    elsewhere = app.test_client()
    for _ in range(app.config["ADMIN_LOGIN_LIMIT"] - 1):
        assert attempt(elsewhere, "ann@corner.example", "guess guess guess").status_code == 401
    assert attempt(elsewhere, "ann@corner.example", PASSWORD).status_code == 302


def test_logout_needs_csrf_and_ends_the_session(
    client: FlaskClient, db: Session, ann: AdminUser
) -> None:
    token = log_in(client, "ann@corner.example")
    store_id = ann.memberships[0].store.public_id
    assert client.post("/admin/logout").status_code == 403
    assert client.get(f"/admin/api/stores/{store_id}/settings").status_code == 200
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get(f"/admin/api/stores/{store_id}/settings").status_code == 401


def test_next_never_leaves_the_admin(client: FlaskClient, ann: AdminUser) -> None:
    token = login_form_token(client)
    response = client.post(
        "/admin/login",
        data={
            "email": "ann@corner.example",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/admin",
        },
    )
    assert response.headers["Location"] == "/admin/"


def test_a_disabled_admin_cannot_log_in(client: FlaskClient, db: Session, ann: AdminUser) -> None:
    ann.active = False
    db.commit()
    assert attempt(client, "ann@corner.example", PASSWORD).status_code == 401


def demo_store(db: Session) -> Store:
    store = Store(platform=Platform.DEMO, domain=DEMO_DOMAIN, name=DEMO_NAME, installed_at=utcnow())
    db.add(store)
    db.commit()
    return store


def test_demo_store_has_a_one_click_admin_outside_production(
    client: FlaskClient, db: Session
) -> None:
    store = demo_store(db)
    other = make_store(db, "Corner Shop")
    page = client.get("/admin/login").get_data(as_text=True)
    assert "Open the demo store" in page
    response = client.post("/admin/demo-login", data={"csrf_token": csrf_token_of(page)})
    assert response.status_code == 302
    assert client.get(f"/admin/api/stores/{store.public_id}/settings").status_code == 200
    assert client.get(f"/admin/api/stores/{other.public_id}/settings").status_code == 403


@pytest.fixture
def production_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ENV": "production"}


def test_no_demo_login_in_production(production_config: dict[str, Any]) -> None:
    from plugin import create_app

    app = create_app(production_config)
    with app.app_context():
        from plugin.db import session

        demo_store(session())
        client = app.test_client()
        page = client.get("/admin/login").get_data(as_text=True)
        assert "Open the demo store" not in page
        response = client.post("/admin/demo-login", data={"csrf_token": csrf_token_of(page)})
        assert response.status_code == 404
        app.extensions["encore_db"].dispose()
