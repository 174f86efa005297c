"""Who is calling: a token (scripts) or the Django session (the browser, with CSRF).

``Authorization: Bearer <token>`` — a token from ``POST /api/auth/token`` (see ``api.actions``:
stored as a sha256, 30 days by default). Token requests need no CSRF token: a browser never adds
the header by itself.

The session cookie — the user logged in on the pages. Unsafe methods (POST, PUT, PATCH, DELETE)
must carry the CSRF token in ``X-CSRFToken``, as Django's forms do; a session request without it
is refused with 403 ``csrf``. A request with no session is not checked for CSRF: it is simply
not authenticated (401), whatever its method.

Both set ``request.user`` to the caller, so django-simple-history and the actions see the same
user as on the pages.
"""

from __future__ import annotations

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from luoshi_web.api import actions


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; ``request.auth`` is the user, ``request.api_token``
    the token's row."""

    def authenticate(self, request, token):
        row = actions.find_token(token.strip())
        if row is None:
            return None
        actions.touch_token(row)
        request.api_token = row
        request.user = row.user
        return row.user


class SessionCookie(APIKeyCookie):
    """The browser's Django session, CSRF enforced for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        # Only a logged-in session is this scheme; without one there is nothing to protect, and
        # the answer is 401 rather than a CSRF failure.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key and request.user.is_authenticated:
            return request.user
        return None


def caller_auth():
    """The authentication of every endpoint but the token's own."""
    return [BearerToken(), SessionCookie()]
