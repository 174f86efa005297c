"""The year of work over the API, as scripts would drive it: the participant files, the lead
unit consolidates including it, the office returns it with a reason, the lead refiles, the
office accepts; then everything is locked (409) and every step is in the task's history. And the
safety of concurrent edits: the second of two edits from one version is refused (409) with who
changed the report and when, and the first edit is kept."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from test_api_support import Caller, report_body

from luoshi_web.accounts.models import Profile
from luoshi_web.tracking.models import ProgressReport, ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(people):
    """A second user of the lead unit (省财政厅)."""
    user = get_user_model().objects.create_user("colleague", password="x", first_name="李同事")
    Profile.objects.create(user=user, role="unit", unit=people.lead_unit.profile.unit)
    return user


def test_the_year_of_work_from_filing_to_acceptance(people, task):
    participant, lead, office = (
        Caller(people.participant),
        Caller(people.lead_unit),
        Caller(people.office),
    )
    target = task.targets.filter(retired=False).first()

    # 1. the participant files its report for March
    filed = participant.post(
        f"/api/tasks/{task.pk}/reports",
        report_body(narrative="发改委：已梳理项目清单。", percent=40),
    )
    assert filed.status_code == 201, filed.content
    partner_report = filed.json()
    assert (partner_report["state"], partner_report["version"]) == ("submitted", 1)

    # 2. the lead reads it and consolidates, including it
    seen = lead.get(f"/api/tasks/{task.pk}/reports", {"period": "2024-03"}).json()
    assert [r["id"] for r in seen] == [partner_report["id"]]
    values = {str(target.pk): 300} if target else {}
    first = lead.post(
        f"/api/tasks/{task.pk}/consolidations",
        report_body(
            narrative="汇总：进展顺利。", percent=45, include=[partner_report["id"]], values=values
        ),
    )
    assert first.status_code == 201, first.content
    consolidation = first.json()
    assert consolidation["state"] == "submitted"
    assert consolidation["includes"] == [partner_report["id"]]

    # 3. the office returns it with a reason
    returned = office.post(
        f"/api/consolidations/{consolidation['id']}/review",
        {"decision": "return", "reason": "请补充已发行债券的金额", "version": 1},
    )
    assert returned.status_code == 201, returned.content
    assert returned.json()["consolidation"]["state"] == "returned"
    assert returned.json()["consolidation"]["return_reason"] == "请补充已发行债券的金额"

    # 4. the lead refiles from the version it read
    version = lead.get(f"/api/consolidations/{consolidation['id']}").json()["version"]
    refiled = lead.post(
        f"/api/tasks/{task.pk}/consolidations",
        report_body(narrative="汇总：已发行 300 亿元。", percent=50, version=version),
    )
    assert refiled.status_code == 200, refiled.content
    assert refiled.json()["state"] == "submitted"

    # 5. the office accepts
    accepted = office.post(
        f"/api/consolidations/{consolidation['id']}/review",
        {"decision": "accept", "version": refiled.json()["version"]},
    )
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["consolidation"]["state"] == "accepted"
    report = participant.get(f"/api/reports/{partner_report['id']}").json()
    assert report["state"] == "accepted"

    # 6. locked: neither the report nor the consolidation changes any more
    again = participant.post(
        f"/api/tasks/{task.pk}/reports",
        report_body(narrative="再改一次", version=report["version"]),
    )
    assert again.status_code == 409
    assert again.json()["code"] == "locked"
    late = lead.post(
        f"/api/tasks/{task.pk}/consolidations",
        report_body(narrative="再改一次", version=accepted.json()["consolidation"]["version"]),
    )
    assert (late.status_code, late.json()["code"]) == (409, "locked")
    assert participant.get(f"/api/reports/{partner_report['id']}").json()["narrative"] == (
        "发改委：已梳理项目清单。"
    )

    # 7. every step is in the history, with who did it
    detail = office.get(f"/api/tasks/{task.pk}").json()
    steps = {(entry["who"], entry["reason"]) for entry in detail["history"]}
    for step in [
        ("participant", "报送进展"),
        ("lead_unit", "提交汇总"),
        ("office", "退回：请补充已发行债券的金额"),
        ("lead_unit", "修改后重新提交汇总"),
        ("office", "审核通过"),
        ("office", "随汇总审核通过"),
    ]:
        assert step in steps, (step, sorted(steps))
    assert [r["decision"] for r in detail["consolidations"][0]["reviews"]] == ["return", "accept"]
    assert detail["status"] in {"推进中", "已完成", "滞后"}


def test_a_returned_partner_report_is_filed_again_from_its_version(people, task):
    participant, lead = Caller(people.participant), Caller(people.lead_unit)
    report = participant.post(f"/api/tasks/{task.pk}/reports", report_body()).json()
    back = lead.post(f"/api/reports/{report['id']}/return", {"reason": "缺少数据来源"})
    assert back.status_code == 200
    assert (back.json()["state"], back.json()["return_reason"]) == ("returned", "缺少数据来源")
    refiled = participant.post(
        f"/api/tasks/{task.pk}/reports",
        report_body(narrative="补充了数据来源", version=back.json()["version"]),
    )
    assert refiled.status_code == 200
    assert refiled.json()["state"] == "submitted"


def test_a_draft_is_submitted_as_it_stands(people, task):
    participant = Caller(people.participant)
    draft = participant.post(f"/api/tasks/{task.pk}/reports", report_body(submit=False)).json()
    assert draft["state"] == "draft"
    submitted = participant.post(f"/api/reports/{draft['id']}/submit", {"version": 1})
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    twice = participant.post(f"/api/reports/{draft['id']}/submit")
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_state")


def test_the_second_of_two_edits_from_one_version_gets_a_conflict(people, colleague, task):
    mine, theirs = Caller(people.lead_unit), Caller(colleague)
    created = mine.post(f"/api/tasks/{task.pk}/reports", report_body(narrative="初稿"))
    version = created.json()["version"]

    first = theirs.post(
        f"/api/tasks/{task.pk}/reports", report_body(narrative="同事的修改", version=version)
    )
    assert first.status_code == 200
    second = mine.post(
        f"/api/tasks/{task.pk}/reports",
        report_body(narrative="我写了很长的一段进展", version=version),
    )
    assert second.status_code == 409
    refusal = second.json()
    assert refusal["code"] == "conflict"
    assert "李同事" in refusal["detail"] and "修改" in refusal["detail"]
    assert f"当前版本 {version + 1}" in refusal["detail"]
    kept = mine.get(f"/api/reports/{created.json()['id']}").json()
    assert (kept["narrative"], kept["version"]) == ("同事的修改", version + 1)


def test_a_second_filing_without_a_version_does_not_overwrite(people, task):
    participant = Caller(people.participant)
    participant.post(f"/api/tasks/{task.pk}/reports", report_body(narrative="第一次"))
    blind = participant.post(f"/api/tasks/{task.pk}/reports", report_body(narrative="第二次"))
    assert (blind.status_code, blind.json()["code"]) == (409, "conflict")
    # version 0 is a new report: the one that exists is named, with its version
    assert "当前版本 1" in blind.json()["detail"] and "版本 0" in blind.json()["detail"]
    reports = participant.get(f"/api/tasks/{task.pk}/reports").json()
    assert [r["narrative"] for r in reports] == ["第一次"]


def test_a_new_report_over_an_accepted_one_is_locked(people, task):
    participant = Caller(people.participant)
    first = participant.post(f"/api/tasks/{task.pk}/reports", report_body(narrative="第一次"))
    ProgressReport.objects.filter(pk=first.json()["id"]).update(state=ReportState.ACCEPTED)
    blind = participant.post(f"/api/tasks/{task.pk}/reports", report_body(narrative="第二次"))
    assert (blind.status_code, blind.json()["code"]) == (409, "locked")
    assert ProgressReport.objects.get(pk=first.json()["id"]).narrative == "第一次"


def test_two_reviews_from_one_version_conflict(people, task):
    participant, lead, office = (
        Caller(people.participant),
        Caller(people.lead_unit),
        Caller(people.office),
    )
    participant.post(f"/api/tasks/{task.pk}/reports", report_body())
    c = lead.post(f"/api/tasks/{task.pk}/consolidations", report_body()).json()
    review = f"/api/consolidations/{c['id']}/review"
    first = office.post(review, {"decision": "return", "reason": "补充", "version": 1})
    assert first.status_code == 201
    again = office.post(review, {"decision": "accept", "version": 1})
    assert (again.status_code, again.json()["code"]) == (409, "conflict")


def test_refusals_the_input_earns(people, task):
    participant, office = Caller(people.participant), Caller(people.office)
    url = f"/api/tasks/{task.pk}/reports"
    wrong_period = participant.post(url, report_body(period="2030-01"))
    assert (wrong_period.status_code, wrong_period.json()["code"]) == (400, "invalid")
    assert "2030-01" in wrong_period.json()["detail"]
    other_target = participant.post(url, report_body(values={"999999": 1}))
    assert (other_target.status_code, other_target.json()["code"]) == (400, "invalid")
    for body in (
        report_body(percent=101),
        report_body(period="March"),
        report_body(narrative=""),
        report_body(narrative="含有\x00空字符"),
        report_body(values={"1": "很多"}),
        {"narrative": "没有报送期", "percent": 1},
    ):
        refused = participant.post(url, body)
        assert refused.status_code == 422, body
        assert refused.json()["code"] == "invalid_input"
        assert refused.json()["errors"]
    not_json = participant.client.post(
        url, "{not json", content_type="application/json", headers=participant.headers
    )
    assert (not_json.status_code, not_json.json()["code"]) == (400, "bad_request")
    no_reason = office.post(
        f"/api/tasks/{task.pk}/reminders",
        {"unit": people.participant.profile.unit_id, "message": "   "},
    )
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "invalid")
    stranger = office.post(
        f"/api/tasks/{task.pk}/reminders",
        {"unit": people.outsider.profile.unit_id, "message": "请报送"},
    )
    assert (stranger.status_code, stranger.json()["detail"]) == (400, "该单位不在此任务上")


def test_the_office_extends_a_deadline_and_the_lead_sees_it(people, task):
    participant, lead, office = (
        Caller(people.participant),
        Caller(people.lead_unit),
        Caller(people.office),
    )
    participant.post(f"/api/tasks/{task.pk}/reports", report_body())
    c = lead.post(f"/api/tasks/{task.pk}/consolidations", report_body()).json()
    early = office.post(
        f"/api/consolidations/{c['id']}/review",
        {"decision": "extend", "new_deadline": "2024-04-01"},
    )
    assert (early.status_code, early.json()["code"]) == (400, "invalid")
    extended = office.post(
        f"/api/consolidations/{c['id']}/review",
        {"decision": "extend", "new_deadline": "2024-04-20", "reason": "数据需省统计局核定"},
    )
    assert extended.status_code == 201
    seen = lead.get(f"/api/consolidations/{c['id']}").json()
    assert (seen["deadline"], seen["extended_deadline"]) == ("2024-04-20", "2024-04-20")


def test_reminders_and_instructions_show_on_the_task(people, task):
    office, leader, participant, lead = (
        Caller(people.office),
        Caller(people.leader),
        Caller(people.participant),
        Caller(people.lead_unit),
    )
    reminded = office.post(
        f"/api/tasks/{task.pk}/reminders",
        {"unit": people.participant.profile.unit_id, "period": "2024-03", "message": "请尽快报送"},
    )
    assert reminded.status_code == 201
    assert reminded.json()["period"] == "2024-03"
    on_task = leader.post(f"/api/tasks/{task.pk}/instructions", {"text": "抓紧推进"})
    assert on_task.status_code == 201
    on_section = leader.post(f"/api/sections/{task.section_id}/instructions", {"text": "全面推进"})
    assert on_section.status_code == 201

    seen = participant.get(f"/api/tasks/{task.pk}").json()
    assert [r["message"] for r in seen["reminders"]] == ["请尽快报送"]
    assert {i["text"] for i in seen["instructions"]} == {"抓紧推进", "全面推进"}
    # a reminder is read by the unit it was sent to
    assert lead.get(f"/api/tasks/{task.pk}").json()["reminders"] == []


def test_a_unit_attaches_files_to_its_report_all_or_none(people, task, settings, tmp_path):
    """Scripts attach files as the page does: stored with their sha256, listed on the report;
    a batch with one file of a type not taken stores none of them and names that file; an
    accepted report takes no more."""
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    participant = Caller(people.participant)
    report = participant.post(f"/api/tasks/{task.pk}/reports", report_body()).json()
    url = f"/api/reports/{report['id']}/attachments"
    text = "专项债券发行明细".encode()

    def upload(*files):
        return participant.upload(url, {"file": list(files)})

    answered = upload(
        SimpleUploadedFile("明细.txt", text, "text/plain"),
        SimpleUploadedFile("说明.md", b"# notes", "text/markdown"),
    )
    assert answered.status_code == 200, answered.content
    attachments = answered.json()["attachments"]
    assert [a["name"] for a in attachments] == ["明细.txt", "说明.md"]
    assert attachments[0]["sha256"] == hashlib.sha256(text).hexdigest()
    assert participant.get(f"/api/reports/{report['id']}").json()["attachments"] == attachments
    stored = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert len(stored) == 2

    refused = upload(
        SimpleUploadedFile("表.txt", b"ok", "text/plain"),
        SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
    )
    assert refused.status_code == 400
    assert "run.exe" in refused.json()["detail"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == stored  # none kept
    assert len(participant.get(f"/api/reports/{report['id']}").json()["attachments"]) == 2

    assert participant.upload(url, {}).status_code == 422  # no file at all: the schema says so

    lead, office = Caller(people.lead_unit), Caller(people.office)
    consolidated = lead.post(
        f"/api/tasks/{task.pk}/consolidations",
        report_body(narrative="汇总", include=[report["id"]]),
    ).json()
    office.post(f"/api/consolidations/{consolidated['id']}/review", {"decision": "accept"})
    locked = upload(SimpleUploadedFile("晚.txt", b"late", "text/plain"))
    assert (locked.status_code, locked.json()["code"]) == (409, "locked")
