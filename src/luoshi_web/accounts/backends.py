"""The login backend: Django's user and password check, and each request's user read together
with the profile that ``accounts.permissions`` asks about (its role, unit or leader) — one query
where there were three."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile__unit", "profile__leader")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
