"""API tokens: what ``POST /api/auth/token`` hands a script, kept only as a sha256.

The token itself (``secrets.token_urlsafe(32)``, 43 characters) is shown once, in the response
that creates it; the database holds its hash, so a copy of the database lets no one in. Rows change
only through ``api.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    # None: never expires (not issued by the API, which always sets one).
    expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created:%Y-%m-%d %H:%M}"
