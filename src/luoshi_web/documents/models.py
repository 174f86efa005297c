"""Imported notices as rows: a Document has Parts, a Part Sections, a Section Tasks; a Task has
Assignments (the responsible units, each lead or participant) and Targets. Units come from the
library's dated registry; Leaders are the officials who lead sections and tasks.

Every change of these rows goes through ``documents.importing`` (import, reparse) or
``tracking.actions`` (status and light of a task); history is kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from luoshi.model import WARNING_KINDS
from luoshi.model import Warning as LibraryWarning
from luoshi_web.history import history as keep_history


class Unit(models.Model):
    """One organisation as the registry records it (``luoshi.registry.RegistryUnit``)."""

    registry_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    full_name = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=50, blank=True)
    valid_from = models.IntegerField(null=True, blank=True)
    valid_to = models.IntegerField(null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True
    )

    class Meta:
        ordering = ["name", "registry_id"]

    def __str__(self) -> str:
        return self.name


class Leader(models.Model):
    """An official who leads sections or tasks. One row per name within a region; a name the
    notice also writes another way (庐山 and 卢山 in the 2024 notice) is kept in ``also_names``."""

    region = models.CharField(max_length=50, blank=True, default="")
    name = models.CharField(max_length=50)
    title = models.CharField(max_length=100, blank=True)
    also_names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="leader_unique_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    MONTHLY, QUARTERLY = "monthly", "quarterly"
    PERIOD_KINDS = [(MONTHLY, "按月"), (QUARTERLY, "按季度")]

    title = models.CharField(max_length=300, blank=True)
    doc_number = models.CharField(max_length=100, blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    year = models.IntegerField()
    signed_on = models.DateField(null=True, blank=True)
    printed_on = models.DateField(null=True, blank=True)
    source_file = models.FileField(upload_to="documents/%Y/", max_length=300)
    original_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, unique=True)
    media_type = models.CharField(max_length=100, blank=True)
    parser_version = models.CharField(max_length=50)
    period_kind = models.CharField(max_length=10, choices=PERIOD_KINDS, default=MONTHLY)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reparsed_at = models.DateTimeField(null=True, blank=True)
    history = keep_history()

    class Meta:
        ordering = ["year", "id"]
        indexes = [
            # the task list sorts by year, newest first: read documents in that order (bench/scale)
            models.Index(fields=["year", "id"], name="document_year"),
        ]

    def __str__(self) -> str:
        return self.doc_number or self.title or f"{self.year}"


class Part(models.Model):
    KIND_CHOICES = [("key_tasks", "重点工作"), ("livelihood", "民生实事")]

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=300, blank=True)
    period_start = models.IntegerField()
    period_end = models.IntegerField()
    line = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["document", "index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="part_index")]

    def __str__(self) -> str:
        return self.title or self.kind


class Section(models.Model):
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="sections")
    index = models.PositiveIntegerField()
    ordinal = models.IntegerField(null=True, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    leader = models.ForeignKey(
        Leader, null=True, blank=True, on_delete=models.PROTECT, related_name="sections"
    )
    leader_title = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=100, blank=True)
    line = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["part", "index"]
        constraints = [models.UniqueConstraint(fields=["part", "index"], name="section_index")]

    def __str__(self) -> str:
        return self.heading or self.category or f"{self.index + 1}"


class Task(models.Model):
    NOT_STARTED, IN_PROGRESS, DONE, BEHIND = "未启动", "推进中", "已完成", "滞后"
    STATUS_CHOICES = [(s, s) for s in (NOT_STARTED, IN_PROGRESS, DONE, BEHIND)]
    GREEN, YELLOW, RED = "green", "yellow", "red"
    LIGHT_CHOICES = [(GREEN, "绿灯"), (YELLOW, "黄灯"), (RED, "红灯"), ("", "—")]

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    index = models.PositiveIntegerField()
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField()
    line = models.IntegerField()
    leaders = models.ManyToManyField(Leader, blank=True, related_name="tasks")
    deadlines = models.JSONField(default=list, blank=True)
    deadline_text = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=NOT_STARTED)
    light = models.CharField(max_length=10, choices=LIGHT_CHOICES, default=GREEN, blank=True)
    light_reason = models.CharField(max_length=300, blank=True)
    # A task a reparse no longer finds is retired, never deleted: its reports stay.
    retired = models.BooleanField(default=False)
    search_text = models.TextField(blank=True)
    history = keep_history(excluded_fields=["search_text"])

    class Meta:
        ordering = ["section__part__document", "section__part__index", "section__index", "index"]

    def __str__(self) -> str:
        label = f"{self.number}. " if self.number is not None else ""
        return f"{label}{self.text[:40]}"

    @property
    def document(self) -> Document:
        return self.section.part.document


class Assignment(models.Model):
    LEAD, PARTICIPANT = "lead", "participant"
    ROLE_CHOICES = [(LEAD, "牵头"), (PARTICIPANT, "配合")]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    index = models.PositiveIntegerField()
    # None for what the registry does not name one by one (各市、县（市、区）政府, 省级有关单位).
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    name_as_written = models.CharField(max_length=300)
    also = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=30, default="unit")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    canonical = models.CharField(max_length=300, blank=True)
    retired = models.BooleanField(default=False)
    history = keep_history()

    class Meta:
        ordering = ["task", "index"]
        indexes = [
            # a unit's tasks and its role on each (visible_tasks, roles_on_tasks), from the index
            # alone: thousands of tasks for a province's 发展改革委 (bench/scale)
            models.Index(
                fields=["unit", "task"],
                include=["role"],
                condition=models.Q(retired=False),
                name="assignment_unit_task",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_as_written}（{self.get_role_display()}）"


class Target(models.Model):
    """A quantitative commitment of a task (``luoshi.model.Target``)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    index = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    indicator = models.CharField(max_length=200, blank=True)
    op = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    value_high = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    by = models.CharField(max_length=20, blank=True)
    measure = models.CharField(max_length=20, blank=True)
    hedge = models.CharField(max_length=20, blank=True)
    retired = models.BooleanField(default=False)

    # how the op reads to a user: 不低于 200亿美元, 5%—5.5%, 左右 …
    OP_LABELS = {
        "ge": "≥",
        "gt": ">",
        "le": "≤",
        "lt": "<",
        "approx": "约",
        "eq": "",
        "between": "",
    }

    @property
    def op_label(self) -> str:
        return self.OP_LABELS.get(self.op, self.op)

    class Meta:
        ordering = ["task", "index"]

    def __str__(self) -> str:
        return self.text


class ParseWarning(models.Model):
    """A warning the parser gave about the document (``luoshi.model.Warning``).

    ``message_zh`` is what the pages show; it is empty for a warning stored before the parser
    wrote one, until the document is parsed again (:attr:`shown` then says the kind in Chinese).
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="warnings")
    code = models.CharField(max_length=50)
    line = models.IntegerField(null=True, blank=True)
    message = models.TextField()
    message_zh = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["document", "line", "id"]

    @classmethod
    def of(cls, warning: LibraryWarning, document: Document | None = None) -> ParseWarning:
        """The row for one of the library's warnings (unsaved)."""
        return cls(
            document=document,
            code=warning.code,
            line=warning.line,
            message=warning.message,
            message_zh=warning.message_zh,
        )

    @property
    def shown(self) -> str:
        """The warning in Chinese: ``单位“省数字办”不在单位名录中``; for a row stored before
        ``message_zh`` existed, its kind and the English it has (``单位不在名录中：unit …``)."""
        if self.message_zh:
            return self.message_zh
        kind = WARNING_KINDS.get(self.code)
        return f"{kind}：{self.message}" if kind else self.message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
