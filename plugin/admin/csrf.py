"""CSRF protection for admins who log in with a password (their session is a cookie).

One random token per session, sent back with every form (`csrf_token` field) and every JSON
write (`X-CSRF-Token` header) and compared in constant time. Shopify's embedded admin sends an
id token in the Authorization header instead: a header a third-party page cannot make a
browser add, so those requests need no CSRF token.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session

from plugin.errors import ApiError

SESSION_KEY = "admin_csrf"
HEADER = "X-CSRF-Token"
FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token() -> str:
    """This session's token, made on first use."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def check_csrf() -> None:
    """Raise 403 unless an unsafe request carries this session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(SESSION_KEY)
    sent = request.headers.get(HEADER) or request.form.get(FORM_FIELD) or ""
    if (
        not isinstance(expected, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise ApiError(
            403,
            "csrf_failed",
            "This form has expired or did not come from the Encore admin; reload the page "
            "and try again.",
        )
