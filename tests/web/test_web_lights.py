"""The status and light rules (tracking/lights.py), one table row per rule, with dates.

The task is the 2024 notice's 专项债券 task (no deadline of its own: its time runs over 2024);
periods are monthly, due on the 5th of the next month.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi_web.documents.models import Target, Task
from luoshi_web.tracking import actions
from luoshi_web.tracking.lights import compute, refresh_document, refresh_task, time_gone
from luoshi_web.tracking.models import ProgressReport, Review

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def filed(ctx, month: str, on: date, percent: int = 30, values=None, unit="lead_unit"):
    """A report of ``unit`` for ``month`` (``"03"``), filed on ``on``."""
    period = ctx.document.periods.get(label=f"2024-{month}")
    report = actions.file_report(
        getattr(ctx.people, unit),
        ctx.task,
        period,
        actions.ReportData("进展", percent, values=values or {}),
        None,
        submit=True,
    )
    moment = datetime(on.year, on.month, on.day, 10, tzinfo=SHANGHAI)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment)
    return report


def consolidated(ctx, month: str, on: date, percent: int, decision: str | None = None):
    period = ctx.document.periods.get(label=f"2024-{month}")
    consolidation = actions.consolidate(
        ctx.people.lead_unit,
        ctx.task,
        period,
        actions.ReportData("汇总", percent),
        None,
        submit=True,
    )
    moment = datetime(on.year, on.month, on.day, 10, tzinfo=SHANGHAI)
    type(consolidation).objects.filter(pk=consolidation.pk).update(submitted_at=moment)
    if decision == "return":
        actions.review(ctx.office, consolidation, Review.RETURN, "请补充")
    elif decision == "accept":
        actions.review(ctx.office, consolidation, Review.ACCEPT)
    return consolidation


def target(ctx, op="ge", value=1000, measure="amount", unit="亿元"):
    return Target.objects.create(
        task=ctx.task,
        text="指标",
        indicator="专项债券",
        op=op,
        value=value,
        unit=unit,
        measure=measure,
    )


def nothing(ctx):
    pass


def on_time_march(ctx):
    filed(ctx, "03", date(2024, 4, 3), percent=25)


def late_march(ctx):
    filed(ctx, "03", date(2024, 4, 8), percent=25)


def slow_march(ctx):
    filed(ctx, "03", date(2024, 4, 3), percent=5)


def very_slow_june(ctx):
    filed(ctx, "06", date(2024, 7, 3), percent=10)


def returned_march(ctx):
    consolidated(ctx, "03", date(2024, 4, 3), 25, decision="return")


def done_in_june(ctx):
    consolidated(ctx, "06", date(2024, 7, 3), 100, decision="accept")


def target_behind_in_june(ctx):
    t = target(ctx)
    filed(ctx, "06", date(2024, 7, 3), percent=50, values={t.pk: "100"})


def target_on_course_in_june(ctx):
    t = target(ctx)
    filed(ctx, "06", date(2024, 7, 3), percent=50, values={t.pk: "480"})


def ceiling_exceeded(ctx):
    t = target(ctx, op="le", value=30, measure="level", unit="微克/立方米")
    filed(ctx, "06", date(2024, 7, 3), percent=50, values={t.pk: "31"})


def growth_rate_close(ctx):
    t = target(ctx, op="approx", value="5.5", measure="growth", unit="%")
    filed(ctx, "06", date(2024, 7, 3), percent=50, values={t.pk: "5.2"})


def february_filed_and_march_extended(ctx):
    filed(ctx, "02", date(2024, 3, 4), percent=25)
    march = ctx.document.periods.get(label="2024-03")
    actions.grant_extension(ctx.office, ctx.task, march, date(2024, 4, 20), "系统故障")


# name, setup, today, status, light, reason (a part of it)
RULES = [
    ("before the first deadline", nothing, date(2024, 2, 1), "未启动", "green", "尚未到报送时间"),
    (
        "a deadline passed, nothing filed",
        nothing,
        date(2024, 4, 6),
        "未启动",
        "red",
        "3月进展逾期未报送",
    ),
    ("filed on time and on course", on_time_march, date(2024, 4, 6), "推进中", "green", "按时报送"),
    (
        "filed after the deadline",
        late_march,
        date(2024, 4, 10),
        "推进中",
        "yellow",
        "3月进展逾期报送",
    ),
    (
        "behind by more than yellow_gap",
        slow_march,
        date(2024, 4, 6),
        "推进中",
        "yellow",
        "进度5%，落后时序进度（26%）",
    ),
    (
        "behind by more than red_gap",
        very_slow_june,
        date(2024, 7, 6),
        "滞后",
        "red",
        "进度10%，落后时序进度（51%）",
    ),
    (
        "returned and not filed again",
        returned_march,
        date(2024, 4, 6),
        "推进中",
        "yellow",
        "3月汇总被退回",
    ),
    ("accepted at 100%", done_in_june, date(2024, 7, 6), "已完成", "green", "已完成"),
    (
        "a target below its pro-rated value",
        target_behind_in_june,
        date(2024, 7, 6),
        "滞后",
        "red",
        "指标“专项债券”完成100亿元，低于时序目标",
    ),
    (
        "a target on course",
        target_on_course_in_june,
        date(2024, 7, 6),
        "推进中",
        "green",
        "按时报送",
    ),
    (
        "a ceiling exceeded",
        ceiling_exceeded,
        date(2024, 7, 6),
        "滞后",
        "red",
        "超过目标30微克/立方米",
    ),
    (
        "a growth rate compared as it stands",
        growth_rate_close,
        date(2024, 7, 6),
        "推进中",
        "green",
        "按时报送",
    ),
    (
        "an extension moves the deadline",
        february_filed_and_march_extended,
        date(2024, 4, 10),
        "推进中",
        "green",
        "按时报送",
    ),
]


@pytest.fixture
def ctx(people, document, task):
    from types import SimpleNamespace

    return SimpleNamespace(people=people, document=document, task=task, office=people.office)


@pytest.mark.parametrize(
    ("setup", "today", "status", "light", "reason"),
    [row[1:] for row in RULES],
    ids=[row[0] for row in RULES],
)
def test_the_light_rules(ctx, setup, today, status, light, reason):
    setup(ctx)
    result = compute(ctx.task, today)
    assert (result.status, result.light) == (status, light), result.reason
    assert reason in result.reason


def test_the_thresholds_are_settings(ctx, settings):
    slow_march(ctx)
    assert compute(ctx.task, date(2024, 4, 6)).light == "yellow"
    settings.LIGHT_RULES = {**settings.LIGHT_RULES, "red_gap": 15}
    assert compute(ctx.task, date(2024, 4, 6)).light == "red"


def test_grace_days_delay_a_missing_report_turning_red(ctx, settings):
    settings.LIGHT_RULES = {**settings.LIGHT_RULES, "grace_days": 3}
    assert compute(ctx.task, date(2024, 4, 7)).reason == "2月进展逾期未报送"


def test_time_gone_runs_to_the_tasks_own_deadline(ctx):
    ctx.task.deadlines = ["2024-06-30"]
    assert time_gone(ctx.task, date(2024, 6, 30)) == 1.0
    ctx.task.deadlines = []
    assert round(time_gone(ctx.task, date(2024, 7, 2)), 2) == 0.5


def test_a_retired_task_shows_no_light(ctx):
    ctx.task.retired = True
    assert compute(ctx.task, date(2024, 4, 6)).light == ""


def test_refresh_stores_the_light_and_records_the_change(ctx):
    before = ctx.task.history.count()
    refresh_task(ctx.task, date(2024, 4, 6))
    ctx.task.refresh_from_db()
    assert (ctx.task.light, ctx.task.light_reason) == ("red", "3月进展逾期未报送")
    assert ctx.task.history.count() == before + 1
    refresh_task(ctx.task, date(2024, 4, 6))
    assert ctx.task.history.count() == before + 1  # no change, no record


@pytest.mark.parametrize(
    ("setup", "today", "status", "light", "reason"),
    [row[1:] for row in RULES],
    ids=[row[0] for row in RULES],
)
def test_a_documents_refresh_stores_each_rule_as_compute_gives_it(
    ctx, setup, today, status, light, reason
):
    """``refresh_document`` reads the facts of all the document's tasks at once: the light it
    stores for the task is the light of the rules table."""
    setup(ctx)
    refresh_document(ctx.document, today)
    stored = Task.objects.get(pk=ctx.task.pk)
    assert (stored.status, stored.light) == (status, light), stored.light_reason
    assert reason in stored.light_reason
    assert stored.history.first().history_change_reason == "亮灯规则"


def test_a_documents_refresh_reads_its_facts_in_a_few_queries_and_agrees_with_each_task(ctx):
    slow_march(ctx)
    tasks = Task.objects.filter(section__part__document=ctx.document)
    with CaptureQueriesContext(connection) as queries:
        changed = refresh_document(ctx.document, date(2024, 4, 6))
    reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) <= 6 < tasks.count()  # not one query per task
    assert changed == tasks.count()  # stored for the import day; on 2024-04-06 each reads otherwise
    for task in tasks.order_by("?")[:25]:
        light = compute(Task.objects.get(pk=task.pk), date(2024, 4, 6))
        assert (task.status, task.light, task.light_reason) == (
            light.status,
            light.light,
            light.reason,
        )
    assert refresh_document(ctx.document, date(2024, 4, 6)) == 0  # nothing changes twice
