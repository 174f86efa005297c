"""Who a user is in luoshi: the supervision office (督查室), a leader, or a unit.

What each role may do is decided in ``accounts.permissions`` and nowhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    OFFICE, LEADER, UNIT = "office", "leader", "unit"
    ROLES = [(OFFICE, "督查室"), (LEADER, "领导"), (UNIT, "责任单位")]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=10, choices=ROLES)
    unit = models.ForeignKey(
        "documents.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="profiles"
    )
    leader = models.ForeignKey(
        "documents.Leader",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="office")
                    | models.Q(role="leader", leader__isnull=False)
                    | models.Q(role="unit", unit__isnull=False)
                ),
                name="profile_role_has_its_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_role_display()})"
