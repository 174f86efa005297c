"""Changes of accounts: creating a user with a role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from luoshi_web.accounts.models import Profile
from luoshi_web.documents.models import Leader, Unit


class AccountError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def find_unit(name_or_id: str) -> Unit:
    """A unit by registry id or by name (the registry's canonical short name or full name)."""
    unit = Unit.objects.filter(registry_id=name_or_id).first()
    if unit is None:
        matches = list(Unit.objects.filter(name=name_or_id)) or list(
            Unit.objects.filter(full_name=name_or_id)
        )
        if len(matches) > 1:
            ids = "、".join(u.registry_id for u in matches)
            raise AccountError(f"单位“{name_or_id}”对应多条记录（{ids}），请用编号指定")
        unit = matches[0] if matches else None
    if unit is None:
        raise AccountError(f"没有单位“{name_or_id}”（先运行 luoshi-web loadunits 或导入通知）")
    return unit


def find_leader(name: str) -> Leader:
    leader = Leader.objects.filter(name=name).first()
    if leader is None:
        leader = next((x for x in Leader.objects.all() if name in x.also_names), None)
    if leader is None:
        raise AccountError(f"没有领导“{name}”（先导入列有该领导的通知）")
    return leader


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    unit: Unit | None = None,
    leader: Leader | None = None,
    first_name: str = "",
    validate: bool = True,
):
    """A new active user with a profile of ``role`` (office, leader or unit)."""
    User = get_user_model()
    if role not in {r for r, _ in Profile.ROLES}:
        raise AccountError(f"未知角色“{role}”：应为 office、leader 或 unit")
    if role == Profile.UNIT and unit is None:
        raise AccountError("单位用户须指定 --unit")
    if role == Profile.LEADER and leader is None:
        raise AccountError("领导用户须指定 --leader")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"用户名“{username}”已存在")
    user = User(username=username, first_name=first_name)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError("；".join(exc.messages)) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        Profile.objects.create(
            user=user,
            role=role,
            unit=unit if role == Profile.UNIT else None,
            leader=leader if role == Profile.LEADER else None,
        )
    return user
