"""The workflow end to end, through the pages as people use them: a participant files, the lead
consolidates, the office returns with a reason, the lead refiles, the office accepts; then
everything is locked and every step is in the history with its user and before/after."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Consolidation, ProgressReport, Review

pytestmark = pytest.mark.django_db


def post_report(client, url, version, submit=True, **fields):
    form = {
        "narrative": "已申报专项债券项目 12 个。",
        "percent": 40,
        "problems": "",
        "support_needed": "",
        "next_steps": "",
        "version": version,
    }
    form.update(fields)
    if submit:
        form["submit"] = "1"
    return client.post(url, form)


def test_the_year_of_work_from_filing_to_acceptance(people, client_for, task, period):
    report_url = reverse("report-form", args=[task.pk, period.pk])
    consolidation_url = reverse("consolidation-form", args=[task.pk, period.pk])

    # 1. the participant logs in, sees its task, files its report
    participant = client_for(people.participant)
    assert participant.get(reverse("task-detail", args=[task.pk])).status_code == 200
    response = post_report(participant, report_url, 0, narrative="发改委：已梳理项目清单。")
    assert response.status_code == 302, response.content.decode()[:2000]
    partner_report = ProgressReport.objects.get(task=task, unit__registry_id="zj-drc")
    assert partner_report.state == "submitted"

    # 2. the lead files its own report and consolidates both
    lead = client_for(people.lead_unit)
    assert (
        post_report(lead, report_url, 0, narrative="财政厅：已发行 300 亿元。").status_code == 302
    )
    page = lead.get(consolidation_url)
    assert "发改委：已梳理项目清单。" in page.context["form"].initial["narrative"]
    response = post_report(lead, consolidation_url, 0, narrative="汇总：进展顺利。", percent=45)
    assert response.status_code == 302
    consolidation = Consolidation.objects.get(task=task, period=period)
    assert consolidation.state == "submitted"
    assert consolidation.includes.count() == 2

    # 3. the office returns it with a reason
    office = client_for(people.office)
    review_url = reverse("review-form", args=[consolidation.pk])
    response = office.post(
        review_url, {"decision": "return", "reason": "请补充资金使用情况", "version": 1}
    )
    assert response.status_code == 302
    consolidation.refresh_from_db()
    assert (consolidation.state, consolidation.return_reason) == ("returned", "请补充资金使用情况")
    assert "请补充资金使用情况" in lead.get(reverse("task-detail", args=[task.pk])).content.decode()

    # 4. the lead refiles
    response = post_report(
        lead, consolidation_url, 2, narrative="汇总：已发行 300 亿元，支出 120 亿元。", percent=50
    )
    assert response.status_code == 302
    consolidation.refresh_from_db()
    assert consolidation.state == "submitted"

    # 5. the office accepts: the consolidation and the reports in it are locked
    response = office.post(review_url, {"decision": "accept", "reason": "", "version": 3})
    assert response.status_code == 302
    consolidation.refresh_from_db()
    partner_report.refresh_from_db()
    assert consolidation.state == "accepted"
    assert partner_report.state == "accepted"
    response = post_report(participant, report_url, partner_report.version, narrative="改")
    assert response.status_code == 400
    assert "已审核通过" in response.content.decode()
    with pytest.raises(actions.Locked):
        actions.consolidate(people.lead_unit, task, period, actions.ReportData("x", 1), None)
    assert list(consolidation.reviews.values_list("decision", flat=True)) == ["return", "accept"]

    # 6. every step is in the history, with its user and the values before and after
    history = lead.get(reverse("task-detail", args=[task.pk])).context["history"]
    steps = [(e.what, e.who, e.reason) for e in history]
    assert ("省发展改革委 2024-03 进展", "participant", "报送进展") in steps
    assert ("2024-03 汇总", "lead_unit", "提交汇总") in steps
    assert ("2024-03 汇总", "office", "退回：请补充资金使用情况") in steps
    assert ("2024-03 汇总", "lead_unit", "修改后重新提交汇总") in steps
    assert ("2024-03 汇总", "office", "审核通过") in steps
    refile = next(e for e in history if e.reason == "修改后重新提交汇总")
    assert ("完成百分比", "45", "50") in refile.changes
    assert ("状态", "returned", "submitted") in refile.changes
    records = consolidation.history.order_by("history_date")
    assert [r.state for r in records] == ["submitted", "returned", "submitted", "accepted"]
    assert [r.history_user.username for r in records] == [
        "lead_unit",
        "office",
        "lead_unit",
        "office",
    ]


def test_a_returned_report_goes_back_to_its_unit_and_can_be_filed_again(people, task, period, data):
    report = actions.file_report(people.participant, task, period, data(), 0, submit=True)
    actions.return_report(people.office, report, "数据有误")
    report.refresh_from_db()
    assert report.state == "returned"
    report = actions.file_report(
        people.participant, task, period, data(percent=35), report.version, submit=True
    )
    assert report.state == "submitted"
    assert report.percent == 35


def test_a_consolidation_that_is_not_submitted_cannot_be_accepted(people, task, period, data):
    draft = actions.consolidate(people.lead_unit, task, period, data(), 0)
    with pytest.raises(actions.InvalidState):
        actions.review(people.office, draft, Review.ACCEPT)


def test_returning_needs_a_reason(people, task, period, data):
    consolidation = actions.consolidate(people.lead_unit, task, period, data(), 0, submit=True)
    with pytest.raises(actions.Invalid):
        actions.review(people.office, consolidation, Review.RETURN, "  ")


def test_an_extension_moves_the_deadline_of_that_task_and_period(people, task, period):
    actions.grant_extension(people.office, task, period, date(2024, 4, 30), "数据口径调整")
    consolidation = Consolidation.objects.get(task=task, period=period)
    assert consolidation.deadline == date(2024, 4, 30)
    assert consolidation.reviews.get().decision == "extend"
    with pytest.raises(actions.Invalid):
        actions.grant_extension(people.office, task, period, date(2024, 4, 1))


def test_a_leader_writes_an_instruction_on_the_page(people, client_for, task):
    client = client_for(people.leader)
    response = client.post(
        reverse("instruct-form", args=[task.pk]), {"on": "section", "text": "要抓紧抓实"}
    )
    assert response.status_code == 302
    page = client.get(reverse("task-detail", args=[task.pk])).content.decode()
    assert "要抓紧抓实" in page


def test_the_office_sends_a_reminder_and_the_unit_sees_it(people, client_for, task):
    office = client_for(people.office)
    unit = people.participant.profile.unit
    response = office.post(
        reverse("remind-form", args=[task.pk]), {"unit": unit.pk, "message": "请尽快报送3月进展"}
    )
    assert response.status_code == 302
    participant = client_for(people.participant)
    assert "请尽快报送3月进展" in participant.get(reverse("task-list")).content.decode()
    assert (
        "请尽快报送3月进展"
        not in client_for(people.lead_unit).get(reverse("task-list")).content.decode()
    )


def test_target_values_are_kept_per_report(people, task, period, data):
    from luoshi_web.documents.models import Target

    target = Target.objects.create(
        task=task,
        text="发行专项债券 1000 亿元以上",
        indicator="专项债券",
        op="ge",
        value=1000,
        unit="亿元",
    )
    report = actions.file_report(
        people.lead_unit, task, period, data(values={target.pk: "300"}), 0, submit=True
    )
    assert report.values.get().value == 300
    other = Target.objects.create(
        task=report.task.section.tasks.exclude(pk=task.pk).first(), text="x", op="ge", value=1
    )
    with pytest.raises(actions.Invalid):
        actions.file_report(
            people.lead_unit, task, period, data(values={other.pk: "1"}), report.version
        )


@pytest.mark.parametrize("form", ["report", "consolidation"])
def test_both_forms_show_values_as_written_and_an_accepted_row_locked(
    people, client_for, task, period, data, form
):
    """The report form and the consolidation form are one form: a value kept as 28.100000 is
    shown as 28.1, and an edit of an accepted row is refused (400) with the row shown locked —
    no 报送 button to press again."""
    from luoshi_web.documents.models import Target

    target = Target.objects.create(task=task, text="增长 28.1%", op="ge", value=28.1, unit="%")
    values = data(values={target.pk: "28.1"})
    filed = actions.file_report(people.lead_unit, task, period, values, 0, submit=True)
    row = actions.consolidate(people.lead_unit, task, period, values, 0, submit=True)
    url = reverse(f"{form}-form", args=[task.pk, period.pk])
    lead = client_for(people.lead_unit)
    page = lead.get(url).content.decode()
    assert 'value="28.1"' in page and "28.100000" not in page

    actions.review(people.office, row, "accept", "", None, expected_version=row.version)
    written = filed if form == "report" else row
    version = type(written).objects.get(pk=written.pk).version
    response = post_report(lead, url, version, narrative="改")
    assert response.status_code == 400
    page = response.content.decode()
    assert "已审核通过" in page
    assert response.context["locked"] is True
    assert 'name="submit"' not in page
