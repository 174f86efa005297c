"""The data of the charts, as ECharts wants it: ``{"labels": [...], "series": [{"name", "data",
"stack"?, "color"?}], "unit": "%"}`` (``details`` where a tooltip needs more).

==================  ===========================================================================
chart               what
==================  ===========================================================================
completion          per section leader: the average progress of their tasks (the latest filed
                    consolidation's percent, else the highest percent of the latest filed unit
                    reports, else 0) and the share of tasks whose latest consolidation the
                    office accepted
lights              per part: tasks by light, stacked
ontime              per unit: the share of its due (task, period) filings it filed by the
                    deadline (the office's extension counts)
targets             per target with a goal: the latest reported value as a percent of the goal
                    (the consolidation's value, else the units'), value and goal in ``details``
==================  ===========================================================================
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from luoshi_web.documents.models import Assignment, Target, Task
from luoshi_web.supervision.overview import FILED, counts_by_part, grace
from luoshi_web.tracking.models import (
    Consolidation,
    Period,
    ProgressReport,
    ReportState,
    TargetValue,
)

LIGHT_SERIES = [
    ("red", "红灯", "#c62828"),
    ("yellow", "黄灯", "#e6a700"),
    ("green", "绿灯", "#2e7d32"),
    ("none", "未亮灯", "#9aa5b1"),
]


def progress_of(task_ids) -> dict[int, tuple[int, bool]]:
    """``{task id: (percent, accepted)}`` for the tasks with anything filed."""
    out: dict[int, tuple[int, bool]] = {}
    reports: dict[int, tuple[date, int]] = {}
    for task_id, start, percent in (
        ProgressReport.objects.filter(task__in=task_ids, state__in=FILED)
        .order_by("period__start")
        .values_list("task_id", "period__start", "percent")
    ):
        seen = reports.get(task_id)
        if seen is None or start > seen[0] or (start == seen[0] and percent > seen[1]):
            reports[task_id] = (start, percent)
    for task_id, (_, percent) in reports.items():
        out[task_id] = (percent, False)
    consolidations: dict[int, tuple[date, int, bool]] = {}
    for task_id, start, percent, state in (
        Consolidation.objects.filter(task__in=task_ids, state__in=FILED)
        .order_by("period__start")
        .values_list("task_id", "period__start", "percent", "state")
    ):
        consolidations[task_id] = (start, percent, state == ReportState.ACCEPTED)
    for task_id, (start, percent, accepted) in consolidations.items():
        seen = reports.get(task_id)
        if seen is None or start >= seen[0]:
            out[task_id] = (percent, accepted)
    return out


def completion_by_leader(tasks: QuerySet[Task]) -> dict:
    rows = list(
        tasks.filter(retired=False).order_by().values_list("pk", "section__leader__name").distinct()
    )
    progress = progress_of([pk for pk, _ in rows])
    by_leader: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for pk, leader in rows:
        by_leader[leader or "（未列领导）"].append(progress.get(pk, (0, False)))
    labels = sorted(by_leader, key=lambda name: (-len(by_leader[name]), name))
    average = [round(sum(p for p, _ in by_leader[n]) / len(by_leader[n]), 1) for n in labels]
    accepted = [round(100 * sum(a for _, a in by_leader[n]) / len(by_leader[n]), 1) for n in labels]
    return {
        "labels": labels,
        "unit": "%",
        "series": [
            {"name": "平均完成度", "data": average, "color": "#0b57a4"},
            {"name": "审核通过占比", "data": accepted, "color": "#2e7d32"},
        ],
        "details": [{"tasks": len(by_leader[n])} for n in labels],
    }


def lights_by_part(tasks: QuerySet[Task]) -> dict:
    counts = counts_by_part(tasks)
    return {
        "labels": [c.label for c in counts],
        "unit": "项",
        "series": [
            {
                "name": name,
                "data": [getattr(c, key) for c in counts],
                "stack": "lights",
                "color": color,
            }
            for key, name, color in LIGHT_SERIES
        ],
    }


def on_time_by_unit(tasks: QuerySet[Task], today: date | None = None) -> dict:
    today = today or timezone.localdate()
    tasks = tasks.filter(retired=False)
    task_docs = dict(tasks.order_by().values_list("pk", "section__part__document").distinct())
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(document__in=set(task_docs.values())):
        periods[period.document_id].append(period)
    extended = {
        (t, p): d
        for t, p, d in Consolidation.objects.filter(
            task__in=list(task_docs), extended_deadline__isnull=False
        ).values_list("task_id", "period_id", "extended_deadline")
    }
    filed = {
        (t, u, p): timezone.localdate(at)
        for t, u, p, at in ProgressReport.objects.filter(
            task__in=list(task_docs), submitted_at__isnull=False
        ).values_list("task_id", "unit_id", "period_id", "submitted_at")
    }
    due: dict[str, int] = defaultdict(int)
    on_time: dict[str, int] = defaultdict(int)
    pairs = (
        Assignment.objects.filter(task__in=list(task_docs), retired=False, unit__isnull=False)
        .order_by()
        .values_list("task_id", "unit_id", "unit__name")
        .distinct()
    )
    for task_id, unit_id, unit_name in pairs:
        for period in periods[task_docs[task_id]]:
            deadline = extended.get((task_id, period.pk)) or period.deadline
            if deadline + grace() >= today:
                continue
            due[unit_name] += 1
            when = filed.get((task_id, unit_id, period.pk))
            if when is not None and when <= deadline:
                on_time[unit_name] += 1
    labels = sorted(due, key=lambda n: (on_time[n] / due[n], -due[n], n))
    return {
        "labels": labels,
        "unit": "%",
        "series": [
            {
                "name": "按时报送率",
                "data": [round(100 * on_time[n] / due[n], 1) for n in labels],
                "color": "#0b57a4",
            }
        ],
        "details": [{"due": due[n], "on_time": on_time[n]} for n in labels],
    }


def latest_values(targets: list[Target], reports=None) -> dict[int, Decimal]:
    """The latest value filed for each target: by period, the consolidation's over the units'.
    ``reports`` limits the unit reports read (those a user may see)."""
    ids = [t.pk for t in targets]
    rows = (
        TargetValue.objects.filter(target__in=ids)
        .filter(consolidation__state__in=FILED)
        .values_list("target_id", "value", "consolidation__period__start")
    )
    unit_rows = TargetValue.objects.filter(target__in=ids, report__state__in=FILED)
    if reports is not None:
        unit_rows = unit_rows.filter(report__in=reports)
    ranked: dict[int, tuple] = {}
    for target_id, value, start in unit_rows.values_list(
        "target_id", "value", "report__period__start"
    ):
        key = (start, 0)
        if target_id not in ranked or key >= ranked[target_id][0]:
            ranked[target_id] = (key, value)
    for target_id, value, start in rows:
        key = (start, 1)
        if target_id not in ranked or key >= ranked[target_id][0]:
            ranked[target_id] = (key, value)
    return {target_id: value for target_id, (_, value) in ranked.items()}


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def targets_chart(targets: list[Target], reports=None, only_reported: bool = False) -> dict:
    values = latest_values(targets, reports)
    labels, data, details = [], [], []
    for t in targets:
        if t.value is None or t.value == 0:
            continue
        value = values.get(t.pk)
        if value is None and only_reported:
            continue
        labels.append(t.indicator or t.text)
        data.append(None if value is None else round(float(value / t.value * 100), 1))
        details.append(
            {
                "target": t.text,
                "value": _plain(value),
                "goal": _plain(t.value),
                "unit": t.unit,
                "op": t.op,
                "task": t.task_id,
            }
        )
    return {
        "labels": labels,
        "unit": "%",
        "series": [{"name": "已报告值占目标", "data": data, "color": "#0b57a4"}],
        "details": details,
    }
