"""The charts' data (ECharts reads it from JSON endpoints): completion by leader, lights by part,
on-time filing by unit, each target's latest reported value against its goal — each over the
tasks the user may read; and the charts page loads ECharts from our static files."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from luoshi_web.documents.models import Task
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import ProgressReport

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def chart(client, name, **params):
    response = client.get(reverse("supervision:chart-data", args=[name]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def filed_on(report, day):
    moment = datetime(2024, 4, day, 10, tzinfo=SHANGHAI)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment)


@pytest.fixture
def lushan_14(document):
    return Task.objects.get(
        section__part__document=document, section__leader__name="庐山", number=14
    )


def test_completion_by_leader_averages_progress_and_counts_accepted(
    people, client_for, task, period, data
):
    actions.file_report(people.lead_unit, task, period, data(percent=40), 0, submit=True)
    consolidation = actions.consolidate(
        people.lead_unit, task, period, data(percent=40), 0, submit=True
    )
    actions.review(people.office, consolidation, "accept")
    body = chart(client_for(people.office), "completion")
    assert body["title"] == "各领导牵头任务完成情况"
    i = body["labels"].index("王浩")
    tasks = body["details"][i]["tasks"]
    average, accepted = body["series"][0]["data"][i], body["series"][1]["data"][i]
    assert average == round(40 / tasks, 1)
    assert accepted == round(100 / tasks, 1)
    assert body["series"][0]["name"] == "平均完成度"


def test_a_leader_sees_only_their_own_tasks_in_the_charts(people, client_for):
    body = chart(client_for(people.leader), "completion")
    assert body["labels"] == ["王浩"]


def test_lights_by_part_are_stacked_and_add_up(people, client_for, document):
    body = chart(client_for(people.office), "lights")
    assert [s["name"] for s in body["series"]] == ["红灯", "黄灯", "绿灯", "未亮灯"]
    assert all(s["stack"] == "lights" for s in body["series"])
    total = sum(sum(s["data"]) for s in body["series"])
    assert total == Task.objects.filter(section__part__document=document, retired=False).count()
    assert all(label.startswith("2024 · ") for label in body["labels"])


def test_on_time_filing_by_unit_counts_filings_made_by_the_deadline(
    people, client_for, task, period, data
):
    filed_on(actions.file_report(people.lead_unit, task, period, data(), 0, submit=True), 3)
    filed_on(actions.file_report(people.participant, task, period, data(), 0, submit=True), 9)
    body = chart(client_for(people.office), "ontime")
    details = dict(zip(body["labels"], body["details"], strict=True))
    rates = dict(zip(body["labels"], body["series"][0]["data"], strict=True))
    assert details["省财政厅"]["on_time"] == 1
    assert details["省发展改革委"]["on_time"] == 0  # filed on the 9th, due on the 5th
    assert rates["省财政厅"] == round(100 / details["省财政厅"]["due"], 1)
    assert body["labels"][0] != "省财政厅"  # worst first


def test_each_target_is_shown_against_its_goal(people, client_for, lushan_14, period, data):
    fdi = lushan_14.targets.get(text__contains="实际使用外资")
    actions.file_report(
        people.outsider, lushan_14, period, data(values={fdi.pk: Decimal("100")}), 0, submit=True
    )
    body = (
        client_for(people.outsider)
        .get(reverse("supervision:task-targets", args=[lushan_14.pk]))
        .json()
    )
    i = next(n for n, d in enumerate(body["details"]) if d["target"] == fdi.text)
    assert body["series"][0]["data"][i] == 50.0
    assert body["details"][i] == {
        "target": fdi.text,
        "value": "100",
        "goal": "200",
        "unit": "亿美元",
        "op": fdi.op,
        "task": lushan_14.pk,
    }
    overall = chart(client_for(people.office), "targets")
    assert fdi.text in [d["target"] for d in overall["details"]]


def test_a_participant_reads_no_value_from_a_report_it_may_not_see(
    people, client_for, lushan_14, period, data
):
    # 省商务厅 leads task 14, 省发展改革委 takes part: it sees consolidations, not the lead's reports
    fdi = lushan_14.targets.get(text__contains="实际使用外资")
    values = {fdi.pk: Decimal("100")}
    actions.file_report(people.outsider, lushan_14, period, data(values=values), 0, submit=True)
    url = reverse("supervision:task-targets", args=[lushan_14.pk])

    def shown(user):
        body = client_for(user).get(url).json()
        i = next(n for n, d in enumerate(body["details"]) if d["target"] == fdi.text)
        return body["series"][0]["data"][i]

    assert shown(people.participant) is None
    assert shown(people.office) == 50.0
    actions.consolidate(people.outsider, lushan_14, period, data(values=values), 0, submit=True)
    assert shown(people.participant) == 50.0


def test_an_unknown_chart_is_404_and_the_page_uses_the_vendored_echarts(people, client_for):
    client = client_for(people.office)
    assert client.get(reverse("supervision:chart-data", args=["nope"])).status_code == 404
    page = client.get(reverse("supervision:charts")).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in page
    for name in ("completion", "lights", "ontime", "targets"):
        assert f'data-test="chart-{name}"' in page
    assert chart(client, "completion", doc="all")["labels"]


def test_the_task_page_carries_the_target_chart(people, client_for, lushan_14):
    page = client_for(people.office).get(reverse("task-detail", args=[lushan_14.pk]))
    assert 'data-test="chart-task-targets"' in page.content.decode()
