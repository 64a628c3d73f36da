"""Session tokens from the admin and from checkout / customer-account extensions."""

from __future__ import annotations

import time

import pytest

from plugin.auth.session_token import SessionTokenError, bearer_token, verify_session_token
from tests.conftest import SHOP, SHOPIFY_API_KEY, SHOPIFY_API_SECRET
from tests.shopify_helpers import admin_id_token, make_session_token


def verify(token: str | None, require_iss: bool = False):
    return verify_session_token(
        token, api_key=SHOPIFY_API_KEY, api_secret=SHOPIFY_API_SECRET, require_iss=require_iss
    )


def test_extension_token_names_the_shop_and_the_customer():
    token = make_session_token(dest=SHOP, sub="gid://shopify/Customer/7012345678901")

    session = verify(token)

    assert session.shop == SHOP
    assert session.subject == "gid://shopify/Customer/7012345678901"
    assert session.customer_id == "7012345678901"
    assert session.issuer is None
    assert session.token_id == "8c6f4a1e-6b5d-4f6e-9d2b-3a7c1e0f9b8d"


def test_dest_may_carry_the_https_scheme():
    assert verify(make_session_token(dest=f"https://{SHOP}")).shop == SHOP


def test_token_without_a_customer_has_no_customer_id():
    assert verify(make_session_token()).customer_id is None


def test_admin_id_token_passes_the_issuer_check():
    session = verify(admin_id_token(), require_iss=True)

    assert session.shop == SHOP
    assert session.issuer == f"https://{SHOP}/admin"
    assert session.session_id == "b2a1d7e0f3c94a6b8e5d"
    assert session.customer_id is None  # admin `sub` is a staff user, not a shopper


def test_token_expired_within_the_leeway_is_accepted():
    now = int(time.time())
    assert verify(make_session_token(exp=now - 5, nbf=now - 60)).shop == SHOP


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda: make_session_token(exp=int(time.time()) - 15), "expired"),
        (lambda: make_session_token(nbf=int(time.time()) + 30), "not yet valid"),
        (lambda: make_session_token(aud="another-app"), "(?i)audience"),
        (lambda: make_session_token(aud=None), "aud"),
        (lambda: make_session_token(secret="not-the-app-secret"), "Signature"),
        (lambda: make_session_token(algorithm="HS512"), "alg value"),
        (lambda: make_session_token(dest=None), "dest"),
        (lambda: make_session_token(dest="https://evil.example.com"), "myshopify.com"),
        (lambda: make_session_token(exp=None), "exp"),
        (lambda: "", "No session token"),
        (lambda: "a.b.c", "not valid"),
    ],
    ids=[
        "expired",
        "not-yet-valid",
        "wrong-aud",
        "no-aud",
        "wrong-secret",
        "other-algorithm",
        "no-dest",
        "dest-not-a-shop",
        "no-exp",
        "empty",
        "garbage",
    ],
)
def test_bad_token_is_rejected(token, reason):
    with pytest.raises(SessionTokenError, match=reason):
        verify(token())


@pytest.mark.parametrize(
    "issuer",
    [None, "https://other-shop.myshopify.com/admin", f"https://{SHOP}", f"{SHOP}/admin"],
)
def test_admin_token_from_another_issuer_is_rejected(issuer):
    token = admin_id_token(iss=issuer)
    with pytest.raises(SessionTokenError, match="admin"):
        verify(token, require_iss=True)


def test_unsigned_token_is_rejected():
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"dest": SHOP, "aud": SHOPIFY_API_KEY, "exp": now + 60}
    unsigned = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
    with pytest.raises(SessionTokenError):
        verify(unsigned)


def test_missing_app_credentials_reject_every_token():
    with pytest.raises(SessionTokenError, match="not configured"):
        verify_session_token(make_session_token(), api_key="", api_secret="")


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer   abc.def.ghi ", "abc.def.ghi"),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer ", None),
        (None, None),
    ],
)
def test_bearer_token_is_read_from_the_authorization_header(header, token):
    assert bearer_token(header) == token
