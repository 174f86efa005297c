"""A new password ends the user's API tokens: whoever held one got it with the old password
(``manage.py changepassword``, the admin, ``User.set_password`` then ``save``). A save that does
not touch the password (the last login recorded at each login) leaves them alone."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from luoshi_web.api.models import ApiToken


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-token-password-before")
def _note_password_change(sender, instance, update_fields=None, **kwargs):
    instance._password_changed = False
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    instance._password_changed = stored.first() not in (None, instance.password)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-token-password-after")
def _revoke_tokens(sender, instance, created=False, **kwargs):
    if not created and getattr(instance, "_password_changed", False):
        ApiToken.objects.filter(user=instance).delete()
        instance._password_changed = False
