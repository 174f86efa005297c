"""Channels by name: ``channel("email")``; the digest's channels are
``settings.LUOSHI_NOTIFY["channels"]``."""

from __future__ import annotations

from django.conf import settings

from luoshi_web.notify.base import Channel
from luoshi_web.notify.channels import DingTalkChannel, EmailChannel, SmsChannel

CHANNELS: dict[str, type] = {
    "email": EmailChannel,
    "sms": SmsChannel,
    "dingtalk": DingTalkChannel,
}


class UnknownChannel(LookupError):
    pass


def channel(name: str) -> Channel:
    """A new channel of that name, configured from the settings (``UnknownChannel`` else)."""
    try:
        return CHANNELS[name]()
    except KeyError:
        known = "、".join(CHANNELS)
        raise UnknownChannel(f"未知的通知渠道“{name}”（可用：{known}）") from None


def configured_channels() -> list[Channel]:
    """The channels ``LUOSHI_NOTIFY["channels"]`` names, in that order (default: e-mail)."""
    names = getattr(settings, "LUOSHI_NOTIFY", {}).get("channels") or ["email"]
    return [channel(name) for name in names]
