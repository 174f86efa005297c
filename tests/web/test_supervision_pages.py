"""The supervision pages for each role (one matrix), and what each shows: the office overview
with light counts and links, a leader's page, a unit's page, the document as the notice is
structured, the task page's timeline — with htmx partials and full-page fallbacks."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from luoshi_web.documents.models import Leader, Unit
from luoshi_web.tracking import actions

pytestmark = pytest.mark.django_db


def urls(task, document):
    return {
        "overview": reverse("supervision:overview"),
        "leader": reverse("supervision:leader", args=[Leader.objects.get(name="王浩").pk]),
        "unit": reverse("supervision:unit", args=[Unit.objects.get(registry_id="zj-finance").pk]),
        "document": reverse("supervision:document", args=[document.pk]),
        "search": reverse("supervision:search") + "?q=外资",
        "charts": reverse("supervision:charts"),
        "chart_json": reverse("supervision:chart-data", args=["completion"]),
        "task_targets": reverse("supervision:task-targets", args=[task.pk]),
        "digest": reverse("supervision:digest"),
    }


PAGES = [
    "overview",
    "leader",
    "unit",
    "document",
    "search",
    "charts",
    "chart_json",
    "task_targets",
    "digest",
]

# role → status of each page above, in that order (王浩's page, 省财政厅's page, the 2024
# notice, the task of 王浩's section that 省财政厅 leads and 省发展改革委 joins)
MATRIX = [
    ("office", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("leader", 403, 200, 403, 200, 200, 200, 200, 200, 403),
    ("other_leader", 403, 404, 403, 200, 200, 200, 200, 404, 403),
    ("lead_unit", 403, 403, 200, 200, 200, 403, 403, 200, 200),
    ("participant", 403, 403, 404, 200, 200, 403, 403, 200, 200),
    ("outsider", 403, 403, 404, 200, 200, 403, 403, 404, 200),
]


@pytest.mark.parametrize(("role", "expected"), [(row[0], row[1:]) for row in MATRIX])
def test_each_page_answers_each_role_as_the_matrix_says(
    people, client_for, task, document, role, expected
):
    client = client_for(getattr(people, role))
    pages = urls(task, document)
    got = tuple(client.get(pages[name]).status_code for name in PAGES)
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, expected, strict=True))


def test_anonymous_is_sent_to_the_login_page_from_every_supervision_page(
    people, client_for, task, document
):
    client = client_for(people.anonymous)
    for name, url in urls(task, document).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_the_overview_counts_lights_by_leader_unit_and_part_with_links(
    people, client_for, document
):
    from luoshi_web.documents.models import Task

    response = client_for(people.office).get(reverse("supervision:overview"))
    context = response.context
    tasks = Task.objects.filter(section__part__document=document, retired=False)
    assert context["totals"].total == tasks.count()
    assert context["totals"].red == tasks.filter(light="red").count()
    page = response.content.decode()
    assert f'data-test="count-red">{context["totals"].red}<' in page
    wang = Leader.objects.get(name="王浩")
    assert reverse("supervision:leader", args=[wang.pk]) in page
    finance = Unit.objects.get(registry_id="zj-finance")
    assert reverse("supervision:unit", args=[finance.pk]) in page
    assert {c.label for c in context["by_part"]} >= {
        "2024 · " + p.title for p in document.parts.all()
    }
    assert 'hx-get="/supervision/"' in page and "<noscript>" in page


def test_the_overview_filters_answer_htmx_with_the_part_they_replace(people, client_for, document):
    client = client_for(people.office)
    period = document.periods.get(label="2024-03")
    url = reverse("supervision:overview") + f"?doc={document.pk}&period={period.pk}"
    whole = client.get(url)
    assert whole.context["period"] == period
    assert "<html" in whole.content.decode()
    part = client.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in part.content.decode()
    assert 'id="overview-body"' in part.content.decode()
    assert "HX-Request" in part["Vary"]
    only = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="overdue")
    assert only.content.decode().lstrip().startswith('<section class="card" id="overdue"')


def test_a_leader_page_lists_their_sections_tasks_with_light_and_latest_progress(
    people, client_for, task, period, data
):
    actions.file_report(people.lead_unit, task, period, data(), 0, submit=True)
    actions.consolidate(
        people.lead_unit,
        task,
        period,
        data(narrative="汇总：专项债券已发行", percent=40),
        0,
        submit=True,
    )
    wang = Leader.objects.get(name="王浩")
    response = client_for(people.leader).get(reverse("supervision:leader", args=[wang.pk]))
    page = response.content.decode()
    assert "汇总：专项债券已发行" in page
    assert 'data-test="latest-progress"' in page
    assert 'data-test="light"' in page
    assert reverse("instruct-form", args=[task.pk]) in page  # the leader writes 批示 from here
    rows = [row for g in response.context["groups"] for row in g["rows"]]
    assert all(r.task.section.leader == wang for r in rows)
    # the office reads the same page but writes no instruction
    office = client_for(people.office).get(reverse("supervision:leader", args=[wang.pk]))
    assert reverse("instruct-form", args=[task.pk]) not in office.content.decode()


def test_my_page_links_take_each_role_to_its_own_page(people, client_for):
    wang = Leader.objects.get(name="王浩")
    finance = Unit.objects.get(registry_id="zj-finance")
    leader = client_for(people.leader).get(reverse("supervision:my-leader"))
    assert leader["Location"] == reverse("supervision:leader", args=[wang.pk])
    unit = client_for(people.lead_unit).get(reverse("supervision:my-unit"))
    assert unit["Location"] == reverse("supervision:unit", args=[finance.pk])
    assert client_for(people.lead_unit).get(reverse("supervision:my-leader")).status_code == 403
    assert client_for(people.leader).get(reverse("supervision:my-unit")).status_code == 403


def test_a_unit_page_shows_its_tasks_with_what_it_has_not_filed(people, client_for, task):
    finance = Unit.objects.get(registry_id="zj-finance")
    response = client_for(people.lead_unit).get(reverse("supervision:unit", args=[finance.pk]))
    rows = response.context["rows"]
    assert task in [r.task for r in rows]
    row = next(r for r in rows if r.task == task)
    assert row.role == "lead"
    assert row.due.label == "2024-12" and row.late
    assert 'data-test="not-filed"' in response.content.decode()


def test_the_document_page_follows_the_notice_and_shows_its_warnings_to_the_office(
    people, client_for, document, task
):
    response = client_for(people.office).get(reverse("supervision:document", args=[document.pk]))
    parts = response.context["parts"]
    assert [p["part"].index for p in parts] == sorted(p["part"].index for p in parts)
    assert parts[0]["sections"][0]["section"].leader.name == "王浩"
    page = response.content.decode()
    assert f'id="task-{task.pk}"' in page
    assert "省财政厅（牵头）" in page
    if document.warnings.exists():
        assert 'data-test="warnings"' in page
    assert 'data-test="year-end-form"' in page


def test_a_unit_sees_only_its_own_tasks_on_the_document_page(people, client_for, document):
    from luoshi_web.accounts import permissions

    response = client_for(people.participant).get(
        reverse("supervision:document", args=[document.pk])
    )
    shown = [t for p in response.context["parts"] for s in p["sections"] for t in s["tasks"]]
    visible = set(permissions.visible_tasks(people.participant).values_list("pk", flat=True))
    assert shown and {t.pk for t in shown} <= visible
    page = response.content.decode()
    assert 'data-test="warnings"' not in page
    assert 'data-test="year-end-form"' not in page


def test_the_task_page_tells_its_story_as_a_timeline(people, client_for, task, period, data):
    report = actions.file_report(people.participant, task, period, data(), 0, submit=True)
    actions.return_report(people.lead_unit, report, "数据不全")
    actions.file_report(people.participant, task, period, data(percent=35), None, submit=True)
    actions.consolidate(people.lead_unit, task, period, data(percent=35), 0, submit=True)
    consolidation = task.consolidations.get(period=period)
    actions.review(people.office, consolidation, "return", "请补充发行数据")
    unit = Unit.objects.get(registry_id="zj-drc")
    actions.send_reminder(people.office, task, unit, period, "请尽快补报")
    actions.write_instruction(people.leader, task, "抓紧推进")
    page = client_for(people.office).get(reverse("task-detail", args=[task.pk])).content.decode()
    for kind in ("report", "return", "consolidation", "review", "reminder", "instruction"):
        assert f'data-test="timeline-{kind}"' in page, kind
    assert "省发展改革委重新报送2024年3月进展（35%）" in page
    assert "督查室退回2024年3月汇总" in page and "请补充发行数据" in page
    assert 'data-test="light-reason"' in page
    # the lead unit does not see the reminder sent to its partner
    lead = client_for(people.lead_unit).get(reverse("task-detail", args=[task.pk])).content.decode()
    assert 'data-test="timeline-reminder"' not in lead


def test_every_supervision_form_carries_the_csrf_token(people, document):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.office)
    for url in (
        reverse("supervision:overview"),
        reverse("supervision:document", args=[document.pk]),
    ):
        page = client.get(url).content.decode()
        assert page.count('method="post"') <= page.count("csrfmiddlewaretoken") + 1  # logout form
        assert "csrfmiddlewaretoken" in page
    response = client.post(reverse("supervision:remind"), {"items": [], "message": "x"})
    assert response.status_code == 403


def test_the_base_page_loads_htmx_from_our_static_files_and_fits_a_phone(people, client_for):
    page = client_for(people.office).get(reverse("supervision:overview")).content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert 'name="viewport"' in page
    assert "://cdn" not in page and "unpkg" not in page and "jsdelivr" not in page
