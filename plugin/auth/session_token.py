"""Shopify session tokens (admin id tokens and checkout/customer-account extension tokens).

Both are HS256 JWTs signed with the app secret, `aud` = client id, `dest` = the shop. Admin id
tokens also carry `iss` = `https://{shop}/admin`; extension tokens have no `iss`, so it is only
checked when asked for.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from plugin.auth.shopify_oauth import is_valid_shop_domain

LEEWAY_SECONDS = 10
CUSTOMER_GID_PREFIX = "gid://shopify/Customer/"


class SessionTokenError(Exception):
    """The token is missing, forged, expired, or for another app or shop."""


@dataclass(frozen=True)
class SessionToken:
    shop: str
    audience: str
    expires_at: datetime
    not_before: datetime | None = None
    issued_at: datetime | None = None
    issuer: str | None = None
    subject: str | None = None
    session_id: str | None = None
    token_id: str | None = None

    @property
    def customer_id(self) -> str | None:
        """The logged-in shopper's numeric id, when `sub` names a customer."""
        if self.subject and self.subject.startswith(CUSTOMER_GID_PREFIX):
            number = self.subject.removeprefix(CUSTOMER_GID_PREFIX)
            return number if number.isdigit() else None
        return None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def shop_from_dest(dest: Any) -> str | None:
    """`dest` is the shop domain, with or without `https://`."""
    if not isinstance(dest, str):
        return None
    shop = dest.removeprefix("https://").rstrip("/")
    return shop if is_valid_shop_domain(shop) else None


def verify_session_token(
    token: str | None, *, api_key: str, api_secret: str, require_iss: bool = False
) -> SessionToken:
    """Check signature, audience, lifetime and shop; raise SessionTokenError on any failure."""
    if not token:
        raise SessionTokenError("No session token was sent.")
    if not api_key or not api_secret:
        raise SessionTokenError("Shopify is not configured, so no session token can be checked.")
    try:
        with warnings.catch_warnings():
            # Shopify chooses the app secret's length; a short one is not ours to refuse.
            warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
            claims: dict[str, Any] = jwt.decode(
                token,
                api_secret,
                algorithms=["HS256"],
                audience=api_key,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "aud", "dest"]},
            )
    except jwt.PyJWTError as exc:
        raise SessionTokenError(f"The session token is not valid: {exc}") from exc

    shop = shop_from_dest(claims.get("dest"))
    if shop is None:
        raise SessionTokenError("The session token's dest is not a myshopify.com shop.")
    issuer = claims.get("iss")
    if require_iss and issuer != f"https://{shop}/admin":
        raise SessionTokenError("The session token was not issued by this shop's admin.")
    return SessionToken(
        shop=shop,
        audience=api_key,
        expires_at=_time(claims["exp"]) or datetime.now(UTC),
        not_before=_time(claims.get("nbf")),
        issued_at=_time(claims.get("iat")),
        issuer=issuer if isinstance(issuer, str) else None,
        subject=_text(claims.get("sub")),
        session_id=_text(claims.get("sid")),
        token_id=_text(claims.get("jti")),
    )


def _time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC)


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)
