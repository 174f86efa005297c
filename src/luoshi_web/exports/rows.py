"""What the ledger (台账) holds: one row per task the user may see, for one period. The Excel,
CSV and JSON files are all written from :func:`ledger_rows`, so the three always agree.

A row (``dict``; the keys of :data:`COLUMNS` are the ledger's columns, the rest is for scripts)::

    number       "1-1-3"           part-section-task, as offices number them (序号)
    task         "积极争取并高效用好地方政府专项债券…"
    leaders      "王浩"             the task's leaders, else its section's (牵头领导)
    lead_units   "省财政厅"          the lead units as the notice writes them (牵头单位)
    units        "省财政厅、省发展改革委"  every responsible unit, lead first (责任单位)
    targets      "新增…1000亿元"     the quantitative targets, one a line (量化指标)
    deadline     "2024年底前"        完成时限 as written, else the deadlines, else the end of the
                                    part's last year (how ``tracking.lights`` reads it)
    progress     "…"               本期进展: the consolidation's narrative for the period — the latest
                                    accepted version, else the latest submitted one; with no
                                    consolidation filed, the filed reports the user may read
                                    (【单位】narrative, one a line)
    percent      30 | None          完成率 of the same source (reports: the highest, as lights do)
    light        "red" | "yellow" | "green" | ""   亮灯 (stored by ``tracking.lights``)
    problems     "…"               存在问题, same source
    next_steps   "…"               下步打算, same source
    verdict      "…"               年终评估, only when the supervision app gives verdicts

    task_id, part, part_title, part_kind, section, section_heading, status, light_reason,
    period, progress_source ("consolidation" | "reports" | ""), progress_state

Retired tasks (a reparse no longer finds them) are left out; so are retired assignments.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from luoshi_web.accounts import permissions
from luoshi_web.accounts.actions import AccountError, find_leader, find_unit
from luoshi_web.documents.models import Assignment, Document, Leader, Target, Task, Unit
from luoshi_web.tracking.models import Consolidation, Period, ProgressReport, ReportState
from luoshi_web.tracking.periods import filing_period

FILED = (ReportState.SUBMITTED, ReportState.ACCEPTED)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # Excel column width (characters of the default font)


COLUMNS: tuple[Column, ...] = (
    Column("number", "序号", 8),
    Column("task", "重点工作", 36),
    Column("leaders", "牵头领导", 8),
    Column("lead_units", "牵头单位", 12),
    Column("units", "责任单位", 20),
    Column("targets", "量化指标", 20),
    Column("deadline", "完成时限", 11),
    Column("progress", "本期进展", 40),
    Column("percent", "完成率", 7),
    Column("light", "亮灯", 5),
    Column("problems", "存在问题", 22),
    Column("next_steps", "下步打算", 22),
)
VERDICT_COLUMN = Column("verdict", "年终评估", 24)
# whitespace between two Chinese characters or full-width marks
_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
# control characters XML cannot hold (openpyxl and python-docx refuse them); \t and \n stay
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LIGHT_WORDS = {Task.RED: "红", Task.YELLOW: "黄", Task.GREEN: "绿"}


class FilterError(ValueError):
    """A filter names nothing (an unknown leader, unit or period); ``message`` says so in
    Chinese. Views and the API answer 400."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Filters:
    period: Period
    leader: Leader | None = None
    unit: Unit | None = None


def default_period(document: Document, today: date | None = None) -> Period | None:
    """The period a ledger or bulletin shows when none is asked for: the one units are filing
    for, as the task page offers it (``tracking.periods.filing_period``: on 2024-04-03,
    ``2024-03``, due 2024-04-05); None for a document without periods."""
    return filing_period(document, today or timezone.localdate())


def parse_period(document: Document, value) -> Period:
    """A period of ``document`` from a Period, a label (``2024-03``, ``2024-Q1``) or None (the
    :func:`default_period`); raises :class:`FilterError` when the document has no such one."""
    if isinstance(value, Period):
        if value.document_id != document.pk:
            raise FilterError("该报送期不属于此文件")
        return value
    if value is None or str(value).strip() == "":
        period = default_period(document)
        if period is None:
            raise FilterError("此文件没有报送期")
        return period
    label = str(value).strip()
    period = document.periods.filter(label=label).first()
    if period is None:
        raise FilterError(f"此文件没有报送期“{label}”（应为 YYYY-MM 或 YYYY-Qn）")
    return period


def parse_leader(value) -> Leader | None:
    """A Leader from a Leader, an id, or a name the notices use (卢山 finds 庐山); None for
    None or ""; raises :class:`FilterError` when unknown."""
    if value is None or isinstance(value, Leader):
        return value
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit():
        leader = Leader.objects.filter(pk=int(text)).first()
        if leader is None:
            raise FilterError(f"没有编号为 {text} 的领导")
        return leader
    try:
        return find_leader(text)
    except AccountError as exc:
        raise FilterError(exc.message) from exc


def parse_unit(value) -> Unit | None:
    """A Unit from a Unit, an id, a registry id (``zj-finance``) or a name (省财政厅); None for
    None or ""; raises :class:`FilterError` when unknown or ambiguous."""
    if value is None or isinstance(value, Unit):
        return value
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit():
        unit = Unit.objects.filter(pk=int(text)).first()
        if unit is None:
            raise FilterError(f"没有编号为 {text} 的单位")
        return unit
    try:
        return find_unit(text)
    except AccountError as exc:
        raise FilterError(exc.message) from exc


def parse_filters(document: Document, *, leader=None, unit=None, period=None) -> Filters:
    """The ledger's filters from model rows or query-string values (see ``parse_*``)."""
    return Filters(
        period=parse_period(document, period),
        leader=parse_leader(leader),
        unit=parse_unit(unit),
    )


def can_export(user, document: Document) -> bool:
    """Whether ``document`` exists for ``user``: the office always, anyone else when they see
    at least one of its tasks (``permissions.visible_tasks``). Views and the API answer 404
    otherwise, as for a task one may not read."""
    if permissions.is_office(user):
        return True
    return permissions.visible_tasks(user).filter(section__part__document=document).exists()


def ledger_tasks(user, document: Document, filters: Filters) -> list[Task]:
    """The tasks of the ledger, in the notice's order, with what the rows need prefetched."""
    visible = permissions.visible_tasks(user).filter(
        section__part__document=document, retired=False
    )
    if filters.leader is not None:
        visible = visible.filter(Q(section__leader=filters.leader) | Q(leaders=filters.leader))
    if filters.unit is not None:
        visible = visible.filter(assignments__unit=filters.unit, assignments__retired=False)
    return list(
        Task.objects.filter(pk__in=visible.values("pk"))
        .select_related("section__part__document", "section__leader")
        .prefetch_related(
            "leaders",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(retired=False).select_related("unit"),
            ),
            Prefetch("targets", queryset=Target.objects.filter(retired=False)),
        )
        .order_by("section__part__index", "section__index", "index")
    )


def task_number(task: Task) -> str:
    """``1-2-5``: the part, the section (its printed ordinal) and the task (its printed number,
    else its place in the section), each counted from 1."""
    section = task.section
    part_no = section.part.index + 1
    section_no = section.ordinal if section.ordinal is not None else section.index + 1
    task_no = task.number if task.number is not None else task.index + 1
    return f"{part_no}-{section_no}-{task_no}"


def task_leaders(task: Task) -> list[Leader]:
    """The task's own leaders, else its section's leader."""
    leaders = list(task.leaders.all())
    if not leaders and task.section.leader is not None:
        leaders = [task.section.leader]
    return leaders


def unit_name(assignment: Assignment) -> str:
    return assignment.name_as_written or (assignment.unit.name if assignment.unit else "")


def deadline_text(task: Task) -> str:
    if task.deadline_text:
        return task.deadline_text
    dates = []
    for value in task.deadlines or ():
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        dates.append(f"{day.year}年{day.month}月{day.day}日前")
    if dates:
        return "、".join(dates)
    return f"{task.section.part.period_end}年底前"


@dataclass(frozen=True)
class Progress:
    """What the ledger shows for a task and period, and where it comes from."""

    narrative: str = ""
    percent: int | None = None
    problems: str = ""
    next_steps: str = ""
    source: str = ""  # "consolidation" | "reports" | ""
    state: str = ""


def period_progress(user, tasks: list[Task], period: Period) -> dict[int, Progress]:
    """Per task id: the consolidation's latest accepted (else latest submitted) version for
    ``period``, read from its history so that a returned consolidation still shows what was
    filed; for a task without one, the filed reports of the period that ``user`` may read."""
    ids = [t.pk for t in tasks]
    out: dict[int, Progress] = {}
    best: dict[int, object] = {}
    history = Consolidation.history.filter(
        period_id=period.pk, task_id__in=ids, state__in=FILED
    ).order_by("history_date", "history_id")
    for version in history:
        previous = best.get(version.task_id)
        # the latest accepted one wins over any submitted one; otherwise the latest wins
        if (
            previous is None
            or version.state == ReportState.ACCEPTED
            or previous.state != ReportState.ACCEPTED
        ):
            best[version.task_id] = version
    for task_id, version in best.items():
        out[task_id] = Progress(
            narrative=version.narrative,
            percent=version.percent,
            problems=version.problems,
            next_steps=version.next_steps,
            source="consolidation",
            state=version.state,
        )
    remaining = [i for i in ids if i not in out]
    if not remaining:
        return out
    reports = (
        ProgressReport.objects.filter(period=period, task_id__in=remaining, state__in=FILED)
        .select_related("unit", "task__section")
        .order_by("task_id", "unit__name", "pk")
    )
    by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in reports:
        if permissions.can_view_report(user, report):
            by_task[report.task_id].append(report)
    for task_id, filed in by_task.items():

        def joined(name: str, filed=filed) -> str:
            texts = [(r.unit.name, getattr(r, name).strip()) for r in filed]
            texts = [(unit, text) for unit, text in texts if text]
            if len(filed) == 1:
                return texts[0][1] if texts else ""
            return "\n".join(f"【{unit}】{text}" for unit, text in texts)

        states = {r.state for r in filed}
        out[task_id] = Progress(
            narrative=joined("narrative"),
            percent=max(r.percent for r in filed),
            problems=joined("problems"),
            next_steps=joined("next_steps"),
            source="reports",
            state=ReportState.ACCEPTED
            if states == {ReportState.ACCEPTED}
            else ReportState.SUBMITTED,
        )
    return out


# where the supervision app keeps ``verdicts_for(document)``, tried in this order
SUPERVISION_MODULES = ("luoshi_web.supervision.yearend", "luoshi_web.supervision")


def verdicts_of(document: Document) -> dict | None:
    """The supervision app's year-end verdicts per target id (``yearend.verdicts_for``), or
    None when that app is not there or gives none: the ledger then has no 年终评估 column."""
    verdicts_for = None
    for name in SUPERVISION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
                continue  # the module itself is not there (yet)
            raise
        verdicts_for = getattr(module, "verdicts_for", None)
        if verdicts_for is not None:
            break
    if verdicts_for is None:
        return None
    verdicts = verdicts_for(document)
    return dict(verdicts) if verdicts else None


VERDICT_WORDS = {"met": "完成", "not_met": "未完成", "unknown": "无法判定"}


def verdict_text(task: Task, verdicts: dict) -> str:
    lines = []
    for target in task.targets.all():
        verdict = verdicts.get(target.pk)
        if verdict is None:
            continue
        word = VERDICT_WORDS.get(getattr(verdict, "verdict", ""), getattr(verdict, "verdict", ""))
        why = getattr(verdict, "why", "") or ""
        lines.append(f"{target.text}：{word}" + (f"（{why}）" if why else ""))
    return "\n".join(lines)


def ledger_columns(rows: list[dict]) -> tuple[Column, ...]:
    """The ledger's columns: :data:`COLUMNS`, and 年终评估 when the rows carry verdicts."""
    if rows and "verdict" in rows[0]:
        return (*COLUMNS, VERDICT_COLUMN)
    return COLUMNS


def ledger_rows(
    user, document: Document, *, leader=None, unit=None, period=None, filters=None
) -> list[dict]:
    """The ledger of ``document`` as ``user`` may see it, one dict per task (see the module
    docstring); ``leader``, ``unit`` and ``period`` as :func:`parse_filters` takes them, or
    ``filters`` already parsed. Raises :class:`FilterError` for a filter that names nothing;
    a user who sees no task gets ``[]``."""
    filters = filters or parse_filters(document, leader=leader, unit=unit, period=period)
    tasks = ledger_tasks(user, document, filters)
    return task_rows(user, document, tasks, filters.period)


def task_rows(user, document: Document, tasks: list[Task], period: Period) -> list[dict]:
    """The rows of ``tasks`` (from :func:`ledger_tasks`) for ``period``, in the same order."""
    progress = period_progress(user, tasks, period)
    verdicts = verdicts_of(document) if tasks else None
    rows = []
    for task in tasks:
        section = task.section
        part = section.part
        assignments = list(task.assignments.all())
        leads = [a for a in assignments if a.role == Assignment.LEAD]
        others = [a for a in assignments if a.role != Assignment.LEAD]
        p = progress.get(task.pk, Progress())
        row = {
            "number": task_number(task),
            "task": task.text,
            "leaders": "、".join(x.name for x in task_leaders(task)),
            "lead_units": "、".join(unit_name(a) for a in leads),
            "units": "、".join(unit_name(a) for a in leads + others),
            "targets": "\n".join(t.text for t in task.targets.all()),
            "deadline": deadline_text(task),
            "progress": p.narrative,
            "percent": p.percent,
            "light": task.light,
            "problems": p.problems,
            "next_steps": p.next_steps,
        }
        if verdicts is not None:
            row["verdict"] = verdict_text(task, verdicts)
        row.update(
            {
                "task_id": task.pk,
                "part": part.index + 1,
                "part_title": part.title,
                "part_kind": part.kind,
                "section": section.ordinal if section.ordinal is not None else section.index + 1,
                "section_heading": section.heading or section.category,
                "status": task.status,
                "light_reason": task.light_reason,
                "period": period.label,
                "progress_source": p.source,
                "progress_state": p.state,
            }
        )
        rows.append({k: clean_text(v) if isinstance(v, str) else v for k, v in row.items()})
    return rows


def clean_text(text: str | None) -> str:
    """``text`` as the files can hold it: line breaks as ``\\n``, no control characters."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def cell_value(row: dict, key: str):
    """A row's value as the ledger shows it: 亮灯 as 红/黄/绿, 完成率 as the whole percent (int
    or None); everything else as it is."""
    value = row.get(key)
    if key == "light":
        return LIGHT_WORDS.get(value, "")
    return value


def scope_label(user, filters: Filters) -> str:
    """Who and what the file covers, for titles and names: ``王浩`` / ``省财政厅`` / ``""``."""
    parts = []
    own_unit = permissions.unit_of(user)
    own_leader = permissions.leader_of(user)
    if own_unit is not None:
        parts.append(own_unit.name)
    elif own_leader is not None:
        parts.append(own_leader.name)
    if filters.leader is not None and filters.leader != own_leader:
        parts.append(filters.leader.name)
    if filters.unit is not None and filters.unit != own_unit:
        parts.append(filters.unit.name)
    return "·".join(parts)


def tidy_title(text: str) -> str:
    """A title as printed, without the spaces a line break left between Chinese characters
    (``2024年 政府工作报告`` → ``2024年政府工作报告``)."""
    return _BREAK.sub("", text)


def document_label(document: Document) -> str:
    """``浙政办发〔2024〕3号``, else ``2024年``."""
    return document.doc_number or f"{document.year}年"
