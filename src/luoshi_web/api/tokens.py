"""``/api/auth/token`` (obtain, revoke) and ``/api/me``.

The token endpoint logs in through ``django.contrib.auth.authenticate(request=…)``, so
django-axes counts its failures with the login page's: five wrong passwords for one user name
from one address lock both out for 15 minutes (429 ``locked_out``).
"""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from ninja import Router, Status

from luoshi_web.accounts import permissions
from luoshi_web.api import actions, present
from luoshi_web.api.auth import BearerToken
from luoshi_web.api.errors import ApiError
from luoshi_web.api.schemas import Me, TokenIn, TokenOut, answers

router = Router(tags=["令牌 auth"])

LOCKED_OUT = "登录失败次数过多，该用户名已被暂时锁定，请 15 分钟后再试"


@router.post(
    "/auth/token",
    auth=None,
    response=answers({200: TokenOut}, 400, 401, 422, 429),
    summary="取得令牌 (obtain a token)",
)
def obtain_token(request, credentials: TokenIn):
    """用户名和密码换取令牌，之后的请求带上 `Authorization: Bearer <token>`。令牌 30 天后失效，
    也可用 `DELETE /api/auth/token` 注销。密码错误 401；连续失败 5 次锁定 15 分钟（429）。"""
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        # We answer the lockout in JSON; the flag would make axes' middleware replace this
        # answer with its HTML page.
        request.axes_locked_out = False
        raise ApiError(429, "locked_out", LOCKED_OUT)
    if user is None:
        raise ApiError(401, "invalid_credentials", "用户名或密码错误")
    # What a login on the page sends: axes resets the user's failures, last_login is updated.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token, row = actions.issue_token(user)
    return {"token": token, "expires": present.local(row.expires), "username": user.username}


@router.delete(
    "/auth/token",
    auth=[BearerToken()],
    response=answers({204: None}, 401),
    summary="注销当前令牌 (revoke this token)",
)
def revoke_token(request):
    """注销请求所用的令牌；之后再用它即 401。"""
    actions.revoke_token(request.api_token)
    return Status(204, None)


@router.get("/me", response=answers({200: Me}, 401), summary="当前用户 (who am I)")
def me(request):
    """调用者的用户名、角色（office 督查室 · leader 领导 · unit 责任单位）、单位或领导。"""
    user = request.auth
    profile = permissions.profile_of(user)
    return {
        "username": user.get_username(),
        "name": present.who(user),
        "role": profile.role if profile else None,
        "unit": present.unit_ref(permissions.unit_of(user)),
        "leader": present.leader(permissions.leader_of(user)),
    }
