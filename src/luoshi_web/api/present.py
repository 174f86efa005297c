"""Rows as the API shows them: plain dicts that fit ``api.schemas``. Reading only; what a caller
may see was decided before these are called."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Assignment, Document, Target, Task, Unit
from luoshi_web.tracking.history import task_history
from luoshi_web.tracking.models import (
    Consolidation,
    Instruction,
    ProgressReport,
    Reminder,
    Review,
)


def who(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def local(moment):
    return timezone.localtime(moment) if moment is not None else None


def number(value) -> float | None:
    return float(value) if value is not None else None


def unit_ref(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "registry_id": unit.registry_id, "name": unit.name}


def leader(row) -> dict | None:
    if row is None:
        return None
    return {"id": row.pk, "name": row.name, "title": row.title, "also_names": row.also_names}


# -- tasks -------------------------------------------------------------------------------------
def tasks_for_listing(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """``tasks`` with what :func:`task` reads fetched in a few queries."""
    return tasks.select_related("section__part__document", "section__leader").prefetch_related(
        "leaders",
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(retired=False).select_related("unit"),
            to_attr="live_assignments",
        ),
        Prefetch("targets", queryset=Target.objects.filter(retired=False), to_attr="live_targets"),
    )


def task(row: Task) -> dict:
    section = row.section
    part = section.part
    document = part.document
    assignments = getattr(row, "live_assignments", None)
    if assignments is None:
        assignments = list(row.assignments.filter(retired=False).select_related("unit"))
    targets = getattr(row, "live_targets", None)
    if targets is None:
        targets = list(row.targets.filter(retired=False))
    return {
        "id": row.pk,
        "document": {
            "id": document.pk,
            "title": document.title,
            "doc_number": document.doc_number,
            "year": document.year,
        },
        "part": {"index": part.index, "kind": part.kind, "title": part.title},
        "section": {
            "id": section.pk,
            "ordinal": section.ordinal,
            "heading": section.heading,
            "leader": section.leader.name if section.leader else None,
            "category": section.category,
        },
        "number": row.number,
        "text": row.text,
        "leaders": [x.name for x in row.leaders.all()],
        "units": [
            {
                "name": a.name_as_written,
                "canonical": a.canonical,
                "unit_id": a.unit_id,
                "registry_id": a.unit.registry_id if a.unit else None,
                "role": a.role,
                "kind": a.kind,
                "also": list(a.also),
            }
            for a in assignments
        ],
        "targets": [
            {
                "id": t.pk,
                "text": t.text,
                "indicator": t.indicator,
                "op": t.op,
                "value": number(t.value),
                "value_high": number(t.value_high),
                "unit": t.unit,
                "by": t.by,
                "measure": t.measure,
                "hedge": t.hedge,
            }
            for t in targets
        ],
        "deadlines": [str(d) for d in row.deadlines],
        "deadline_text": row.deadline_text,
        "status": row.status,
        "light": row.light,
        "light_reason": row.light_reason,
        "retired": row.retired,
    }


def task_detail(user, row: Task) -> dict:
    """:func:`task` with what ``user`` may read of its work: reports, consolidations (with their
    reviews), reminders, instructions and the history."""
    out = task(row)
    reports = permissions.visible_reports(user, row)
    consolidations = Consolidation.objects.filter(task=row)
    # As on the task page (tracking.history): a unit reads the reminders sent to it.
    reminders = Reminder.objects.filter(task=row).select_related("unit", "period", "sent_by")
    unit = permissions.unit_of(user)
    if unit is not None:
        reminders = reminders.filter(unit=unit)
    instructions = (
        Instruction.objects.filter(task=row)
        | Instruction.objects.filter(section=row.section_id, task__isnull=True)
    ).select_related("leader", "by")
    out.update(
        {
            "may": {
                "role": permissions.role_on_task(user, row),
                "file": permissions.can_file(user, row),
                "consolidate": permissions.can_consolidate(user, row),
                "review": permissions.can_review(user),
                "remind": permissions.can_remind(user),
                "instruct": permissions.can_instruct(user, row),
            },
            "reports": [report(r) for r in reports_for_listing(reports)],
            "consolidations": [
                consolidation(c) for c in consolidations_for_listing(consolidations)
            ],
            "reminders": [reminder(r) for r in reminders],
            "instructions": [instruction(i) for i in instructions],
            "history": [
                {
                    "at": local(e.at),
                    "who": e.who,
                    "what": e.what,
                    "kind": e.kind,
                    "reason": e.reason,
                    "changes": [
                        {"field": f, "before": before, "after": after}
                        for f, before, after in e.changes
                    ],
                }
                for e in task_history(user, row)
            ],
        }
    )
    return out


# -- reports and consolidations ----------------------------------------------------------------
def reports_for_listing(reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return reports.select_related("unit", "period", "submitted_by", "updated_by").prefetch_related(
        "values", "attachments"
    )


def consolidations_for_listing(rows: QuerySet[Consolidation]) -> QuerySet[Consolidation]:
    return rows.select_related(
        "lead_unit", "period", "submitted_by", "updated_by"
    ).prefetch_related("values", "attachments", "includes", "reviews__by")


def _attachments(rows) -> list[dict]:
    return [
        {
            "id": a.pk,
            "name": a.original_name,
            "size": a.size,
            "sha256": a.sha256,
            "url": reverse("attachment", args=[a.pk]),
        }
        for a in rows
    ]


def _values(rows) -> list[dict]:
    return [{"target_id": v.target_id, "value": float(v.value)} for v in rows]


def _rows(row, relation: str):
    """The rows of ``row``'s ``relation`` ("values", "attachments"): those the action that
    created ``row`` just wrote when it says so (``row.written``), else as read (or prefetched)."""
    written = getattr(row, "written", None)
    return written[relation] if written is not None else getattr(row, relation).all()


def _written(row) -> dict:
    """The fields a report and a consolidation share."""
    return {
        "id": row.pk,
        "task_id": row.task_id,
        "period": row.period.label,
        "narrative": row.narrative,
        "percent": row.percent,
        "problems": row.problems,
        "support_needed": row.support_needed,
        "next_steps": row.next_steps,
        "values": _values(_rows(row, "values")),
        "state": row.state,
        "version": row.version,
        "submitted_at": local(row.submitted_at),
        "submitted_by": who(row.submitted_by),
        "return_reason": row.return_reason,
        "updated_at": local(row.updated_at),
        "updated_by": who(row.updated_by),
        "attachments": _attachments(_rows(row, "attachments")),
    }


def report(row: ProgressReport) -> dict:
    return {**_written(row), "unit": unit_ref(row.unit)}


def review(row: Review) -> dict:
    return {
        "id": row.pk,
        "consolidation_id": row.consolidation_id,
        "decision": row.decision,
        "reason": row.reason,
        "new_deadline": row.new_deadline,
        "by": who(row.by),
        "at": local(row.at),
    }


def consolidation(row: Consolidation) -> dict:
    return {
        **_written(row),
        "lead_unit": unit_ref(row.lead_unit),
        "includes": sorted(r.pk for r in row.includes.all()),
        "deadline": row.deadline,
        "extended_deadline": row.extended_deadline,
        "reviews": [review(r) for r in row.reviews.all()],
    }


def reminder(row: Reminder) -> dict:
    return {
        "id": row.pk,
        "task_id": row.task_id,
        "unit": unit_ref(row.unit),
        "period": row.period.label if row.period else None,
        "message": row.message,
        "sent_by": who(row.sent_by),
        "at": local(row.at),
        "read_at": local(row.read_at),
    }


def instruction(row: Instruction) -> dict:
    return {
        "id": row.pk,
        "section_id": row.section_id,
        "task_id": row.task_id,
        "leader": row.leader.name if row.leader else None,
        "text": row.text,
        "by": who(row.by),
        "at": local(row.at),
    }


# -- reference ---------------------------------------------------------------------------------
def unit(row: Unit) -> dict:
    return {
        "id": row.pk,
        "registry_id": row.registry_id,
        "name": row.name,
        "full_name": row.full_name,
        "kind": row.kind,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "predecessors": [unit_ref(u) for u in row.predecessors.all()],
        "successors": [unit_ref(u) for u in row.successors.all()],
    }


def document(row: Document, task_count: int) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "doc_number": row.doc_number,
        "issuer": row.issuer,
        "year": row.year,
        "printed_on": row.printed_on,
        "period_kind": row.period_kind,
        "original_name": row.original_name,
        "sha256": row.sha256,
        "parser_version": row.parser_version,
        "imported_at": local(row.imported_at),
        "reparsed_at": local(row.reparsed_at),
        "task_count": task_count,
    }


def document_detail(row: Document) -> dict:
    parts = []
    total = 0
    for part in row.parts.prefetch_related("sections__leader", "sections__tasks"):
        sections = []
        for s in part.sections.all():
            count = len(s.tasks.all())
            total += count
            sections.append(
                {
                    "id": s.pk,
                    "index": s.index,
                    "ordinal": s.ordinal,
                    "heading": s.heading,
                    "leader": s.leader.name if s.leader else None,
                    "category": s.category,
                    "task_count": count,
                }
            )
        parts.append(
            {
                "index": part.index,
                "kind": part.kind,
                "title": part.title,
                "period_start": part.period_start,
                "period_end": part.period_end,
                "sections": sections,
            }
        )
    return {
        **document(row, total),
        "parts": parts,
        "warnings": [
            {"code": w.code, "line": w.line, "message": w.message, "message_zh": w.shown}
            for w in row.warnings.all()
        ],
    }


def period(row) -> dict:
    return {
        "id": row.pk,
        "document_id": row.document_id,
        "label": row.label,
        "display": row.display,
        "start": row.start,
        "end": row.end,
        "deadline": row.deadline,
    }


def preview(upload, notice) -> dict:
    """What ``importing.preview`` found in an upload: the structure's counts and the warnings."""
    doc = notice.document
    return {
        "name": upload.name,
        "sha256": upload.sha256,
        "size": len(upload.data),
        "title": doc.title or "",
        "doc_number": doc.doc_number or "",
        "issuer": doc.issuer or "",
        "year": doc.year,
        "parts": [
            {
                "title": p.title or "",
                "kind": p.kind,
                "period": list(p.period) if p.period else None,
                "section_count": len(p.sections),
                "task_count": sum(len(s.tasks) for s in p.sections),
            }
            for p in notice.parts
        ],
        "task_count": sum(1 for _ in notice.tasks()),
        "warnings": [
            {"code": w.code, "line": w.line, "message": w.message, "message_zh": w.message_zh}
            for w in notice.warnings
        ],
    }
