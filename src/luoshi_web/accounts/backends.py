"""The login backend: Django's user and password check, and each request's user read together
with the profile that ``accounts.permissions`` asks about (its role, unit or leader) — one query
where there were three, its SQL made once (``luoshi_web.reads``)."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from luoshi_web import reads


@cache
def _user_read() -> reads.Joined:
    """Every page reads its user: the statement made once (Django makes a backend per call)."""
    return reads.Joined(get_user_model(), "profile__unit", "profile__leader", where="id")


class ProfileBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = _user_read().one(get_user_model()._meta.pk.to_python(user_id))
        except ValidationError:
            return None
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
