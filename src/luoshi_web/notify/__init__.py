"""Notification channels: one interface for e-mail, SMS and DingTalk.

::

    from luoshi_web.notify import channel, configured_channels

    result = channel("email").send("wang@example.org", "催办", "请于11月5日前报送…")
    result.ok, result.detail          # True, "已发送"

A channel is anything with ``name`` and ``send(recipient, subject, body) -> DeliveryResult``
(:class:`~luoshi_web.notify.base.Channel`). ``send`` never raises for a failed delivery: it
returns ``ok=False`` with the reason, so a digest to many units goes on after one failure.
:func:`~luoshi_web.notify.actions.deliver` sends and records the attempt in a ``DeliveryLog``.

Which channels the digest uses and their webhooks are ``settings.LUOSHI_NOTIFY``
(``{"channels": ["email"], "sms": {"url", "secret", "recipients"}, "dingtalk": {…}}``).
"""

from luoshi_web.notify.base import Channel, DeliveryResult
from luoshi_web.notify.registry import channel, configured_channels

__all__ = ["Channel", "DeliveryResult", "channel", "configured_channels"]
