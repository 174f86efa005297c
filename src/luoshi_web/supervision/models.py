"""Rows of the supervision app: the search index of tasks and the year-end verdicts.

``TaskSearch`` holds each task's searchable text as tokens (CJK bigrams and ASCII words, see
``search.tokenize``) and its document's year; on SQLite an FTS5 table mirrors the tokens through
triggers (migration 0002), on PostgreSQL the database stores ``to_tsvector('simple', tokens)`` in
a generated column ``vector`` with a GIN index (migration 0003, not declared here: SQLite has no
tsvector). ``supervision.signals`` writes the rows when tasks, sections, parts, leaders or
documents are saved.

``YearEndReport`` is the next year's work report the office uploaded for a document;
``TargetVerdict`` the judgement of one of the document's targets against it (``luoshi.evaluate``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from luoshi_web.history import history as keep_history


class TaskSearch(models.Model):
    task = models.OneToOneField(
        "documents.Task", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    tokens = models.TextField(blank=True)
    # The task's document's year: equal matches are listed newest first without joining the
    # task, section, part and document of every match. Null only in a row restored from a
    # backup made before it existed (the restore fills it in).
    year = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.task_id}: {self.tokens[:40]}"


class YearEndReport(models.Model):
    """The work report of ``document.year + 1``, judged against the document's targets."""

    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="year_end_reports"
    )
    file = models.FileField(upload_to="year-end/%Y/", max_length=300)
    original_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    title = models.CharField(max_length=300, blank=True)
    report_year = models.IntegerField(null=True, blank=True)
    parser_version = models.CharField(max_length=50)
    unmatched = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    history = keep_history()

    class Meta:
        ordering = ["document", "-evaluated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "sha256"], name="year_end_report_once")
        ]

    def __str__(self) -> str:
        return self.title or self.original_name


class TargetVerdict(models.Model):
    MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
    VERDICTS = [(MET, "完成"), (NOT_MET, "未完成"), (UNKNOWN, "无法判定")]

    report = models.ForeignKey(YearEndReport, on_delete=models.CASCADE, related_name="verdicts")
    target = models.ForeignKey(
        "documents.Target", on_delete=models.CASCADE, related_name="verdicts"
    )
    verdict = models.CharField(max_length=10, choices=VERDICTS)
    why = models.TextField(blank=True)
    result_text = models.TextField(blank=True)
    result_line = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["report", "target__task", "target__index"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="one_verdict_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}：{self.why}"
