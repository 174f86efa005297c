"""The history of a task as a user may read it: every change to the task, its assignments, the
reports the user may see, the consolidations, reviews, reminders and instructions — who, when,
why, and each field's value before and after (django-simple-history records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Assignment, Task
from luoshi_web.tracking.models import (
    Attachment,
    Consolidation,
    Instruction,
    ProgressReport,
    Reminder,
    Review,
    TargetValue,
)

# Bookkeeping fields that change on every save and say nothing to a reader.
QUIET = {"version", "updated_at", "updated_by", "search_text", "id", "index"}
KINDS = {"+": "新建", "~": "修改", "-": "删除"}
LABELS = {
    "narrative": "工作进展",
    "percent": "完成百分比",
    "problems": "存在问题",
    "support_needed": "需要协调支持的事项",
    "next_steps": "下一步打算",
    "state": "状态",
    "return_reason": "退回理由",
    "submitted_at": "报送时间",
    "submitted_by": "报送人",
    "extended_deadline": "延期至",
    "lead_unit": "牵头单位",
    "status": "状态",
    "light": "亮灯",
    "light_reason": "亮灯原因",
    "text": "内容",
    "value": "数值",
    "target": "指标",
    "decision": "决定",
    "reason": "理由",
    "new_deadline": "新的截止日期",
    "message": "内容",
    "read_at": "已读时间",
    "role": "角色",
    "retired": "已停用",
    "unit": "单位",
    "period": "报送期",
    "leader": "领导",
    "original_name": "文件名",
}


@dataclass
class Entry:
    at: datetime
    user: object
    what: str
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def who(self) -> str:
        if self.user is None:
            return "系统"
        return self.user.get_full_name() or self.user.get_username()


def _label(model, name: str) -> str:
    return LABELS.get(name, name)


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _entries(records, what) -> list[Entry]:
    out = []
    for record in records:
        model = record.instance_type
        changes: list[tuple[str, str, str]] = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous)
                for change in delta.changes:
                    if change.field in QUIET:
                        continue
                    changes.append(
                        (_label(model, change.field), _show(change.old), _show(change.new))
                    )
        elif record.history_type == "+":
            for f in model._meta.concrete_fields:
                if f.name in QUIET or f.name in {"task", "report", "consolidation", "section"}:
                    continue
                value = getattr(record, f.attname, None)
                if value not in (None, "", [], 0, False):
                    changes.append((_label(model, f.name), "—", _show(value)))
        out.append(
            Entry(
                at=record.history_date,
                user=record.history_user,
                what=what(record),
                kind=KINDS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return out


def task_history(user, task: Task, limit: int = 200) -> list[Entry]:
    """The newest ``limit`` entries of the task's history that ``user`` may read."""
    report_ids = list(permissions.visible_reports(user, task).values_list("pk", flat=True))
    consolidation_ids = list(Consolidation.objects.filter(task=task).values_list("pk", flat=True))
    unit = permissions.unit_of(user)
    reminders = Reminder.history.filter(task_id=task.pk)
    if unit is not None:
        reminders = reminders.filter(unit_id=unit.pk)
    units = dict(ProgressReport.objects.filter(pk__in=report_ids).values_list("pk", "unit__name"))
    entries: list[Entry] = []
    entries += _entries(Task.history.filter(id=task.pk), lambda r: "任务")
    entries += _entries(
        Assignment.history.filter(task_id=task.pk),
        lambda r: f"责任单位 {r.name_as_written}",
    )
    entries += _entries(
        ProgressReport.history.filter(id__in=report_ids).select_related("period"),
        lambda r: f"{units.get(r.id, '')} {r.period.label} 进展",
    )
    entries += _entries(
        TargetValue.history.filter(
            Q(report_id__in=report_ids) | Q(consolidation_id__in=consolidation_ids)
        ),
        lambda r: "指标值",
    )
    entries += _entries(
        Attachment.history.filter(
            Q(report_id__in=report_ids) | Q(consolidation_id__in=consolidation_ids)
        ),
        lambda r: f"附件 {r.original_name}",
    )
    entries += _entries(
        Consolidation.history.filter(task_id=task.pk).select_related("period"),
        lambda r: f"{r.period.label} 汇总",
    )
    entries += _entries(
        Review.history.filter(consolidation_id__in=consolidation_ids), lambda r: "审核"
    )
    entries += _entries(reminders, lambda r: "催办")
    entries += _entries(
        Instruction.history.filter(
            Q(task_id=task.pk) | Q(section_id=task.section_id, task__isnull=True)
        ),
        lambda r: "批示",
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
