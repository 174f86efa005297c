"""Task status and light (亮灯): the rules, in one place. Thresholds are ``settings.LIGHT_RULES``.

Terms: a period is *due* once its deadline (or the office's extension) plus ``grace_days`` has
passed; the *last due period* is the latest such period. Something is *filed* for a period when
a unit report or the lead's consolidation for it has been submitted (or accepted). *Progress* is
the percent complete of the latest submitted consolidation, else the highest percent among the
latest submitted reports. *Time gone* is the share of the task's time that has passed: from
1 January of its part's first year to the task's own deadline (完成时限) when it has one, else to
31 December of the part's last year.

Light — the first rule that holds decides, red before yellow:

=====  ===========================================================  ===========================
light  rule                                                         reason shown (example)
=====  ===========================================================  ===========================
red    nothing filed for the last due period                        3月进展逾期未报送
red    progress < time gone − ``red_gap`` points                    进度30%，落后时序进度(75%)
red    a target at risk: the value reported is below the            指标“新增就业”完成40万人，
       pro-rated target by more than ``target_risk`` (a ceiling:    低于时序目标70万人
       above it)
yellow a consolidation (or report) returned and not filed again     3月汇总被退回，尚未重新报送
yellow the last due period was filed after its deadline             3月进展逾期报送
yellow progress < time gone − ``yellow_gap`` points                 进度60%，落后时序进度(75%)
green  none of the above                                            按时报送 / 尚未到报送时间
=====  ===========================================================  ===========================

A target is pro-rated (target × time gone) when it counts up over the year (an amount, a count,
a level); a growth rate, a share, a decline is compared as it stands; a rank is not judged.

Status: 已完成 when a consolidation with 100% has been accepted; 未启动 when nothing has been
filed yet; 滞后 when the light is red; 推进中 otherwise. A retired task keeps its status and
shows no light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from luoshi_web.documents.models import Document, Target, Task
from luoshi_web.tracking.models import (
    Consolidation,
    Period,
    ProgressReport,
    ReportState,
    TargetValue,
)
from luoshi_web.tracking.periods import periods_of

FILED = (ReportState.SUBMITTED, ReportState.ACCEPTED)
CUMULATIVE_MEASURES = ("", "amount", "count", "level")
RATE_MEASURES = ("growth", "share", "decline")


@dataclass(frozen=True)
class Light:
    status: str
    light: str
    reason: str


def rules() -> dict:
    defaults = {"red_gap": 25, "yellow_gap": 10, "target_risk": 0.2, "grace_days": 0}
    return {**defaults, **getattr(settings, "LIGHT_RULES", {})}


def month_label(period: Period) -> str:
    """``3月`` or ``第1季度`` — the way the reasons name a period."""
    _, _, rest = period.label.partition("-")
    return f"第{rest[1:]}季度" if rest.startswith("Q") else f"{int(rest)}月"


def time_gone(task: Task, today: date) -> float:
    """Share (0…1) of the task's time that has passed on ``today``."""
    part = task.section.part
    start = date(part.period_start, 1, 1)
    end = date(part.period_end, 12, 31)
    own = []
    for value in task.deadlines or ():
        try:
            own.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    own = [d for d in own if start < d <= end]
    if own:
        end = max(own)
    span = (end - start).days or 1
    return min(1.0, max(0.0, (today - start).days / span))


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


class ReportFact(NamedTuple):
    """What the light reads of a unit's report (its texts are not read)."""

    pk: int
    period_id: int
    state: str
    submitted_at: datetime | None
    percent: int

    COLUMNS = ("pk", "period_id", "state", "submitted_at", "percent")


class ConsolidationFact(NamedTuple):
    """What the light reads of a consolidation."""

    pk: int
    period_id: int
    state: str
    submitted_at: datetime | None
    percent: int
    extended_deadline: date | None

    COLUMNS = (*ReportFact.COLUMNS, "extended_deadline")


@dataclass
class Facts:
    """What the light of one task is computed from: the document's periods, the task's
    consolidations (by period id) and unit reports (by period id, a list, as filed), its live
    targets with a value, and the values filed against them (``("report" | "consolidation",
    id)`` → ``{target id: value}``). Reports and consolidations are read as the few columns the
    rules use (:class:`ReportFact`, :class:`ConsolidationFact`), not as whole rows."""

    periods: list[Period]
    consolidations: dict[int, ConsolidationFact]
    reports: dict[int, list[ReportFact]]
    targets: list[Target]
    values: dict[tuple[str, int], dict[int, Decimal]] = field(default_factory=dict)


def targets_of(task: Task) -> list[Target]:
    """The task's targets (retired ones too), read once per task instance: the form, the values
    written and the light all use the same list."""
    prefetch_related_objects(
        [task], Prefetch("targets", queryset=Target.objects.order_by("index"))
    )  # not Meta.ordering, which joins the task and its section, part and document
    return list(task.targets.all())


def _judged(targets) -> list[Target]:
    return [t for t in targets if not t.retired and t.value is not None]


def facts_of(task: Task) -> Facts:
    """The facts of one task: its consolidations and reports (two queries), the document's
    periods and the task's targets (read once per instance: a prefetch is used), and the values
    of its filed rows only when it has a target to judge (one query)."""
    document: Document = task.section.part.document
    # unordered: Meta.ordering would join the period, the unit, the task's section, part…
    rows = Consolidation.objects.filter(task=task).order_by()
    consolidations = {
        c.period_id: c
        for c in map(ConsolidationFact._make, rows.values_list(*ConsolidationFact.COLUMNS))
    }
    reports: dict[int, list[ReportFact]] = {}
    rows = ProgressReport.objects.filter(task=task).order_by("pk")  # as filed
    for report in map(ReportFact._make, rows.values_list(*ReportFact.COLUMNS)):
        reports.setdefault(report.period_id, []).append(report)
    facts = Facts(periods_of(document), consolidations, reports, [])
    if not any(x.state in FILED for x in [*consolidations.values(), *_flat(reports)]):
        return facts  # nothing filed: no target can be at risk
    facts.targets = _judged(targets_of(task))
    if facts.targets:
        rows = TargetValue.objects.filter(target__task=task).order_by()
        facts.values = _values_by_source(rows)
    return facts


def _flat(reports: dict[int, list[ReportFact]]) -> list[ReportFact]:
    return [x for xs in reports.values() for x in xs]


def _values_by_source(rows) -> dict[tuple[str, int], dict[int, Decimal]]:
    out: dict[tuple[str, int], dict[int, Decimal]] = {}
    for report_id, consolidation_id, target_id, value in rows.values_list(
        "report_id", "consolidation_id", "target_id", "value"
    ):
        key = (
            ("report", report_id) if report_id is not None else ("consolidation", consolidation_id)
        )
        out.setdefault(key, {})[target_id] = value
    return out


def compute(task: Task, today: date | None = None, facts: Facts | None = None) -> Light:
    """The status, light and reason of ``task`` on ``today`` (default: today in TIME_ZONE),
    from ``facts`` (read for the task when not given: :func:`facts_of`)."""
    today = today or timezone.localdate()
    r = rules()
    if task.retired:
        return Light(task.status, "", "已停用")
    facts = facts if facts is not None else facts_of(task)
    periods, consolidations, reports = facts.periods, facts.consolidations, facts.reports

    def deadline(period: Period) -> date:
        c = consolidations.get(period.pk)
        return (c.extended_deadline if c and c.extended_deadline else None) or period.deadline

    def first_filed(period: Period) -> date | None:
        times = [
            _local_date(x.submitted_at)
            for x in [consolidations.get(period.pk), *reports.get(period.pk, [])]
            # a returned report was filed all the same: it counts for filing on time
            if x is not None and x.state != ReportState.DRAFT and x.submitted_at is not None
        ]
        return min(times) if times else None

    grace = timedelta(days=r["grace_days"])
    due = [p for p in periods if deadline(p) + grace < today]
    last_due = due[-1] if due else None

    filed_any = any(c.state in FILED or c.submitted_at for c in consolidations.values()) or any(
        x.state in FILED or x.submitted_at for xs in reports.values() for x in xs
    )
    done = any(
        c.state == ReportState.ACCEPTED and c.percent >= 100 for c in consolidations.values()
    )
    progress = _progress(periods, consolidations, reports)
    gone = round(time_gone(task, today) * 100)

    def status(light: str) -> str:
        if done:
            return Task.DONE
        if not filed_any:
            return Task.NOT_STARTED
        return Task.BEHIND if light == Task.RED else Task.IN_PROGRESS

    if done:
        return Light(Task.DONE, Task.GREEN, "已完成")

    # red
    if last_due is not None and first_filed(last_due) is None:
        return Light(status(Task.RED), Task.RED, f"{month_label(last_due)}进展逾期未报送")
    if progress is not None and progress < gone - r["red_gap"]:
        return Light(status(Task.RED), Task.RED, f"进度{progress}%，落后时序进度（{gone}%）")
    risk = _target_at_risk(facts, gone / 100, r["target_risk"])
    if risk:
        return Light(status(Task.RED), Task.RED, risk)

    # yellow
    for period in reversed(periods):
        c = consolidations.get(period.pk)
        if c is not None and c.state == ReportState.RETURNED:
            return Light(
                status(Task.YELLOW), Task.YELLOW, f"{month_label(period)}汇总被退回，尚未重新报送"
            )
        if any(x.state == ReportState.RETURNED for x in reports.get(period.pk, [])):
            return Light(
                status(Task.YELLOW), Task.YELLOW, f"{month_label(period)}进展被退回，尚未重新报送"
            )
    if last_due is not None:
        filed_on = first_filed(last_due)
        if filed_on is not None and filed_on > deadline(last_due):
            return Light(status(Task.YELLOW), Task.YELLOW, f"{month_label(last_due)}进展逾期报送")
    if progress is not None and progress < gone - r["yellow_gap"]:
        return Light(status(Task.YELLOW), Task.YELLOW, f"进度{progress}%，落后时序进度（{gone}%）")
    return Light(status(Task.GREEN), Task.GREEN, "按时报送" if filed_any else "尚未到报送时间")


def _progress(periods, consolidations, reports) -> int | None:
    for period in reversed(periods):
        c = consolidations.get(period.pk)
        if c is not None and c.state in FILED:
            return c.percent
        filed = [x.percent for x in reports.get(period.pk, []) if x.state in FILED]
        if filed:
            return max(filed)
    return None


def _target_at_risk(facts: Facts, gone: float, margin: float):
    """The reason a target is at risk, or None. Uses the latest value filed for each target."""
    targets = facts.targets  # live, with a value (see Facts)
    if not targets:
        return None
    latest: dict[int, Decimal] = {}
    for period in facts.periods:  # later periods overwrite earlier ones
        sources = [("report", x.pk) for x in facts.reports.get(period.pk, []) if x.state in FILED]
        c = facts.consolidations.get(period.pk)
        if c is not None and c.state in FILED:
            sources.append(("consolidation", c.pk))  # the consolidation, last, wins
        for source in sources:
            latest.update(facts.values.get(source, {}))
    for target in targets:
        value = latest.get(target.pk)
        if value is None or target.measure == "rank":
            continue
        goal = target.value
        name = target.indicator or target.text
        unit = target.unit
        if target.op in ("le", "lt"):
            if value > goal:
                return f"指标“{name}”为{_fmt(value)}{unit}，超过目标{_fmt(goal)}{unit}"
            continue
        expected = goal if target.measure in RATE_MEASURES else goal * Decimal(str(gone))
        if value < expected * (1 - Decimal(str(margin))):
            return f"指标“{name}”完成{_fmt(value)}{unit}，低于时序目标{_fmt(expected)}{unit}"
    return None


def _fmt(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01")).normalize()
    return f"{value:f}"


STORED = ["status", "light", "light_reason"]


def _set(task: Task, result: Light) -> bool:
    """Put ``result`` on ``task``; whether that changed it (a history row is owed)."""
    if (task.status, task.light, task.light_reason) == (result.status, result.light, result.reason):
        return False
    task.status, task.light, task.light_reason = result.status, result.light, result.reason
    return True


def refresh_task(task: Task, today: date | None = None, user=None) -> Light:
    """Compute and store the task's status and light (a history row only when they change)."""
    result = compute(task, today)
    if _set(task, result):
        if user is not None and getattr(user, "is_authenticated", False):
            task._history_user = user
        task._change_reason = "亮灯规则"
        task.save(update_fields=STORED)
    return result


def refresh_document(document: Document, today: date | None = None, user=None) -> int:
    """Refresh every task of a document; returns how many changed. The facts of all its tasks
    are read in five queries, not five per task, and the changed tasks are written together,
    each with its history row."""
    today = today or timezone.localdate()
    periods = periods_of(document)
    tasks = list(
        Task.objects.filter(section__part__document=document)
        .select_related("section__part")
        .order_by()
    )
    for task in tasks:
        task.section.part.document = document  # one instance: its periods are read once
    in_document = {"task__section__part__document": document}
    consolidations: dict[int, dict[int, ConsolidationFact]] = {}
    rows = Consolidation.objects.filter(**in_document).order_by()
    for task_id, *row in rows.values_list("task_id", *ConsolidationFact.COLUMNS):
        c = ConsolidationFact._make(row)
        consolidations.setdefault(task_id, {})[c.period_id] = c
    reports: dict[int, dict[int, list[ReportFact]]] = {}
    rows = ProgressReport.objects.filter(**in_document).order_by("pk")  # as filed
    for task_id, *row in rows.values_list("task_id", *ReportFact.COLUMNS):
        x = ReportFact._make(row)
        reports.setdefault(task_id, {}).setdefault(x.period_id, []).append(x)
    targets: dict[int, list[Target]] = {}
    for t in Target.objects.filter(
        task__section__part__document=document, retired=False, value__isnull=False
    ).order_by("task_id", "index"):
        targets.setdefault(t.task_id, []).append(t)
    values = (
        _values_by_source(
            TargetValue.objects.filter(target__task__section__part__document=document).order_by()
        )
        if targets
        else {}
    )
    changed = []
    for task in tasks:
        facts = Facts(
            periods,
            consolidations.get(task.pk, {}),
            reports.get(task.pk, {}),
            targets.get(task.pk, []),
            values,
        )
        if _set(task, compute(task, today, facts)):
            changed.append(task)
    if changed:
        bulk_update_with_history(
            changed,
            Task,
            STORED,
            batch_size=500,
            default_user=user if getattr(user, "is_authenticated", False) else None,
            default_change_reason="亮灯规则",
        )
    return len(changed)


def moving_documents(today: date | None = None, window_days: int = 40):
    """The documents whose lights can change as days pass, as of the last ``window_days``: one
    with a period (or an extended deadline) due since then, or a part that runs this year or
    later (its time gone still grows). Before and after, time changes none of its lights."""
    today = today or timezone.localdate()
    since = today - timedelta(days=window_days + rules()["grace_days"])
    moving = (
        Q(periods__deadline__gte=since)
        | Q(parts__period_end__gte=today.year)
        | Q(periods__consolidations__extended_deadline__gte=since)
    )
    return Document.objects.filter(pk__in=Document.objects.filter(moving).values("pk")).order_by(
        "year", "id"
    )
