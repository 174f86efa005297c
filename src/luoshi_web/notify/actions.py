"""Sending through a channel and recording the attempt: the one change of state in notify."""

from __future__ import annotations

from django.db import transaction

from luoshi_web.notify.base import Channel, DeliveryResult
from luoshi_web.notify.models import DeliveryLog


def deliver(
    channel: Channel,
    recipient: str | None,
    subject: str,
    body: str,
    *,
    unit=None,
    reminder_ids=(),
    sent_by=None,
) -> DeliveryLog:
    """Send ``body`` to ``recipient`` through ``channel`` and log the attempt, sent or not. A
    missing recipient is logged as a failure (没有收件地址) without trying the channel."""
    if recipient:
        result = channel.send(recipient, subject, body)
    else:
        result = DeliveryResult(False, channel.name, "", "没有收件地址")
    with transaction.atomic():
        return DeliveryLog.objects.create(
            channel=channel.name,
            recipient=result.recipient or "",
            subject=subject[:300],
            body=body,
            ok=result.ok,
            detail=result.detail,
            unit=unit,
            reminder_ids=sorted(int(i) for i in reminder_ids),
            sent_by=sent_by if getattr(sent_by, "is_authenticated", False) else None,
        )
