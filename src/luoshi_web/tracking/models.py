"""The year of work on a document: periods, the units' progress reports, the lead unit's
consolidation, the office's review, reminders and leaders' instructions.

Rows change only through ``tracking.actions``; each change is kept by django-simple-history
(who, when, the values before and after). ``version`` on a report or consolidation counts its
saves: an edit made from an older version is refused (see ``actions.Conflict``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from luoshi_web.documents.models import Document, Section, Target, Task, Unit
from luoshi_web.history import history as keep_history

USER = settings.AUTH_USER_MODEL


class Period(models.Model):
    """A reporting period of a document: ``2024-03`` (monthly) or ``2024-Q1`` (quarterly),
    due on ``deadline`` (by default the 5th of the next month)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    deadline = models.DateField()

    class Meta:
        # by the column: "document" would join the document to order by its own ordering
        ordering = ["document_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="period_label"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def display(self) -> str:
        """``2024年3月`` or ``2024年第1季度``."""
        year, _, rest = self.label.partition("-")
        if rest.startswith("Q"):
            return f"{year}年第{rest[1:]}季度"
        return f"{year}年{int(rest)}月"


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核通过"


class ProgressReport(models.Model):
    """What one unit reports on one task for one period (进展报送)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    narrative = models.TextField(blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    problems = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = keep_history()

    class Meta:
        ordering = ["period__start", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"], name="one_report_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.task_id}"


class Consolidation(models.Model):
    """The lead unit's combined report on a task for a period (汇总), which the office reviews."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="consolidations")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="consolidations")
    lead_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="consolidations"
    )
    narrative = models.TextField(blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    problems = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    includes = models.ManyToManyField(ProgressReport, blank=True, related_name="consolidations")
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(blank=True)
    # An extension the office granted (review decision ``extend``) for this task and period.
    extended_deadline = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = keep_history()

    class Meta:
        ordering = ["period__start", "task"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="one_consolidation"),
        ]

    def __str__(self) -> str:
        return f"汇总 · {self.period} · {self.task_id}"

    @property
    def deadline(self):
        return self.extended_deadline or self.period.deadline


class TargetValue(models.Model):
    """The value reached so far for a target, in a report or in a consolidation."""

    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    consolidation = models.ForeignKey(
        Consolidation, null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="reported_values")
    value = models.DecimalField(max_digits=20, decimal_places=6)
    history = keep_history()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, consolidation__isnull=True)
                | Q(report__isnull=True, consolidation__isnull=False),
                name="value_of_one_report",
            ),
            models.UniqueConstraint(fields=["report", "target"], name="one_value_per_report"),
            models.UniqueConstraint(
                fields=["consolidation", "target"], name="one_value_per_consolidation"
            ),
        ]


class Attachment(models.Model):
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    consolidation = models.ForeignKey(
        Consolidation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = keep_history()

    def __str__(self) -> str:
        return self.original_name


class Review(models.Model):
    """The office's decision on a consolidation: accept, return with a reason, or extend."""

    ACCEPT, RETURN, EXTEND = "accept", "return", "extend"
    DECISIONS = [(ACCEPT, "审核通过"), (RETURN, "退回"), (EXTEND, "延期")]

    consolidation = models.ForeignKey(
        Consolidation, on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.CharField(max_length=10, choices=DECISIONS)
    reason = models.TextField(blank=True)
    new_deadline = models.DateField(null=True, blank=True)
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = keep_history()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.consolidation}"


class Reminder(models.Model):
    """A reminder (催办) the office sends a unit about a task and period."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    message = models.TextField()
    sent_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    history = keep_history()

    class Meta:
        ordering = ["-at", "-id"]


class Instruction(models.Model):
    """A leader's written instruction (批示) on a section they lead or one of its tasks."""

    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="instructions"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="instructions"
    )
    leader = models.ForeignKey(
        "documents.Leader", null=True, on_delete=models.SET_NULL, related_name="instructions"
    )
    text = models.TextField()
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = keep_history()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=False) | Q(task__isnull=False),
                name="instruction_on_something",
            )
        ]
