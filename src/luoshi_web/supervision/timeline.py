"""A task's story as a timeline: reports filed and returned, consolidations submitted, the
office's reviews, reminders, leaders' instructions and the light changing — newest first, and
only what the user may read (the reports ``permissions.visible_reports`` gives, a unit's own
reminders).

Built from the history tables (django-simple-history keeps every save of a report or a
consolidation with who and why) and the rows of reviews, reminders and instructions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Task
from luoshi_web.tracking.models import (
    Consolidation,
    Instruction,
    ProgressReport,
    Reminder,
    ReportState,
    Review,
)

LIGHT_NAMES = dict(Task.LIGHT_CHOICES)


@dataclass
class Event:
    at: datetime
    kind: str  # report · return · consolidation · review · reminder · instruction · light
    who: str
    title: str
    detail: str = ""
    tone: str = ""  # ok · warn · bad, for the dot's colour


def _name(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def _transitions(records):
    """(record, previous record) for each save that changed the state or filed again."""
    previous: dict[int, object] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.state == ReportState.DRAFT:
            continue
        if before is not None and (before.state, before.submitted_at) == (
            record.state,
            record.submitted_at,
        ):
            continue
        yield record, before


def task_timeline(user, task: Task, limit: int = 100) -> list[Event]:
    events: list[Event] = []
    report_ids = list(permissions.visible_reports(user, task).values_list("pk", flat=True))
    units = dict(ProgressReport.objects.filter(pk__in=report_ids).values_list("pk", "unit__name"))
    records = (
        ProgressReport.history.filter(id__in=report_ids)
        .select_related("period", "history_user")
        .order_by("history_date", "history_id")
    )
    for record, before in _transitions(records):
        unit, period = units.get(record.id, ""), record.period.display
        who = _name(record.history_user)
        if record.state == ReportState.SUBMITTED:
            again = before is not None and before.state == ReportState.RETURNED
            title = f"{unit}{'重新' if again else ''}报送{period}进展（{record.percent}%）"
            events.append(Event(record.history_date, "report", who, title, record.narrative))
        elif record.state == ReportState.RETURNED:
            title = f"{unit}{period}进展被退回"
            events.append(
                Event(record.history_date, "return", who, title, record.return_reason, "warn")
            )

    consolidations = (
        Consolidation.history.filter(task_id=task.pk)
        .select_related("period", "history_user")
        .order_by("history_date", "history_id")
    )
    for record, before in _transitions(consolidations):
        if record.state != ReportState.SUBMITTED:
            continue  # returns and acceptances are the office's reviews, below
        again = before is not None and before.state == ReportState.RETURNED
        title = (
            f"牵头单位{'重新' if again else ''}提交{record.period.display}汇总（{record.percent}%）"
        )
        events.append(
            Event(
                record.history_date,
                "consolidation",
                _name(record.history_user),
                title,
                record.narrative,
            )
        )

    for review in Review.objects.filter(consolidation__task=task).select_related(
        "consolidation__period", "by"
    ):
        period = review.consolidation.period.display
        if review.decision == Review.ACCEPT:
            title, tone = f"督查室审核通过{period}汇总", "ok"
        elif review.decision == Review.RETURN:
            title, tone = f"督查室退回{period}汇总", "warn"
        else:
            title, tone = f"督查室批准{period}延期至 {review.new_deadline:%Y-%m-%d}", ""
        events.append(Event(review.at, "review", _name(review.by), title, review.reason, tone))

    reminders = Reminder.objects.filter(task=task).select_related("unit", "period", "sent_by")
    unit = permissions.unit_of(user)
    if unit is not None:
        reminders = reminders.filter(unit=unit)
    for r in reminders:
        period = f"（{r.period.display}）" if r.period_id else ""
        read = f"，{r.read_at:%Y-%m-%d %H:%M} 已读" if r.read_at else "，未读"
        events.append(
            Event(
                r.at,
                "reminder",
                _name(r.sent_by),
                f"催办{r.unit.name}{period}{read}",
                r.message,
                "warn",
            )
        )

    for i in Instruction.objects.filter(
        Q(task=task) | Q(section=task.section_id, task__isnull=True)
    ).select_related("leader", "by"):
        scope = "" if i.task_id else "（对本部分）"
        leader = i.leader.name if i.leader_id else _name(i.by)
        events.append(Event(i.at, "instruction", leader, f"{leader}批示{scope}", i.text))

    lights = Task.history.filter(id=task.pk).order_by("history_date", "history_id")
    before = None
    for record in lights:
        if before is not None and record.light != before.light and record.light:
            tone = {"red": "bad", "yellow": "warn", "green": "ok"}.get(record.light, "")
            title = f"亮灯：{LIGHT_NAMES.get(before.light, '—')} → {LIGHT_NAMES.get(record.light)}"
            events.append(
                Event(record.history_date, "light", "系统", title, record.light_reason, tone)
            )
        before = record

    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]
