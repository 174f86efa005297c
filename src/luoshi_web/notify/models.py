"""Every attempt to deliver a notification, kept: when, through which channel, to whom, what,
whether it went, and the reminders (催办) it carried."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DeliveryLog(models.Model):
    channel = models.CharField(max_length=20)
    recipient = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    ok = models.BooleanField(default=False)
    detail = models.TextField(blank=True)
    unit = models.ForeignKey(
        "documents.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    reminder_ids = models.JSONField(default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        state = "成功" if self.ok else "失败"
        return f"{self.channel} → {self.recipient or '—'}（{state}）"
