"""Changes of API tokens, one function each: issue, touch (last used), revoke.

``issue_token`` returns the token in clear exactly once; afterwards only its sha256 exists
(``hash_token``). A token is refused once it expired, once it was revoked (its row deleted), or
when its user is inactive.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from luoshi_web import reads
from luoshi_web.api.models import ApiToken

# How long a new token lives; ``API_TOKEN_DAYS`` in settings overrides it.
DEFAULT_DAYS = 30
# ``last_used`` is written at most this often, so that reading through the API is not a write
# per request (SQLite takes its write lock for each one).
TOUCH_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The sha256 (hex) under which ``token`` is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "API_TOKEN_DAYS", DEFAULT_DAYS))


def issue_token(user) -> tuple[str, ApiToken]:
    """A new random token for ``user``: ``(token in clear, row)``; the row keeps its hash and
    expires after :func:`token_lifetime`."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, key_hash=hash_token(token), expires=timezone.now() + token_lifetime()
    )
    return token, row


# every API call reads its token, the user and what the permissions ask of them: made once
_token_read = reads.Joined(
    ApiToken, "user__profile__unit", "user__profile__leader", where="key_hash"
)


def find_token(token: str) -> ApiToken | None:
    """The live row for ``token`` (not expired, its user active), or None."""
    if not token:
        return None
    row = _token_read.one(hash_token(token))
    if row is None or not row.user.is_active:
        return None
    if row.expires is not None and row.expires <= timezone.now():
        return None
    return row


def touch_token(row: ApiToken) -> None:
    """Record that ``row`` was used now (at most once per :data:`TOUCH_EVERY`)."""
    now = timezone.now()
    if row.last_used is not None and now - row.last_used < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=row.pk).update(last_used=now)  # one statement: no BEGIN
    row.last_used = now


def revoke_token(row: ApiToken) -> None:
    """Delete the token: it no longer authenticates anyone."""
    ApiToken.objects.filter(pk=row.pk).delete()
