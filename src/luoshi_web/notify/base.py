"""The channel interface and what a delivery attempt returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class DeliveryResult:
    """One attempt: ``ok``, the channel and recipient, and ``detail`` in words for the user
    (已发送, or why not: 未配置短信网关地址, HTTP 500 …)."""

    ok: bool
    channel: str
    recipient: str
    detail: str = ""


@runtime_checkable
class Channel(Protocol):
    """A way to reach a unit. ``address_for(unit, users)`` picks the unit's address on this
    channel (None when it has none); ``send`` delivers one message and never raises for a
    delivery that failed."""

    name: str
    label: str

    def address_for(self, unit, users) -> str | None: ...

    def send(self, recipient: str, subject: str, body: str) -> DeliveryResult: ...
