"""Finding the object a request names, as the caller may see it: a task, report or consolidation
the caller may not read is answered 404 exactly like one that does not exist."""

from __future__ import annotations

from luoshi_web.accounts import permissions
from luoshi_web.api.errors import invalid, not_found
from luoshi_web.documents.models import Document, Section, Task
from luoshi_web.tracking.models import Consolidation, Period, ProgressReport
from luoshi_web.tracking.periods import periods_of


def task_or_404(user, task_id: int) -> Task:
    task = permissions.readable_task(user, task_id)
    if task is None:
        raise not_found("没有这项任务")
    return task


def report_or_404(user, report_id: int) -> ProgressReport:
    report = (
        ProgressReport.objects.select_related("task__section__part__document", "unit", "period")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not permissions.can_view_report(user, report):
        raise not_found("没有这份报告")
    return report


def consolidation_or_404(user, consolidation_id: int) -> Consolidation:
    row = (
        Consolidation.objects.select_related("task__section__part__document", "period")
        .filter(pk=consolidation_id)
        .first()
    )
    if row is None or not permissions.can_view_consolidation(user, row):
        raise not_found("没有这份汇总")
    return row


def section_or_404(user, section_id: int) -> Section:
    """A section exists for the caller when the caller sees one of its tasks."""
    section = Section.objects.select_related("part__document", "leader").filter(pk=section_id)
    section = section.first()
    if section is None or not permissions.visible_tasks(user).filter(section=section).exists():
        raise not_found("没有这一部分")
    return section


def document_or_404(user, document_id: int) -> Document:
    document = permissions.visible_documents(user).filter(pk=document_id).first()
    if document is None:
        raise not_found("没有这份文件")
    return document


def period_of(task: Task, label: str) -> Period:
    """The period ``label`` (2024-03, 2024-Q1) of the task's document; 400 when it has none."""
    document = task.section.part.document
    periods = periods_of(document)  # the light computed after a filing reads the same list
    period = next((p for p in periods if p.label == label), None)
    if period is None:
        labels = [p.label for p in periods]
        known = f"{labels[0]} … {labels[-1]}" if labels else "无"
        raise invalid(f"该文件没有报送期“{label}”（报送期：{known}）")
    return period
