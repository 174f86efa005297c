"""Year-end verdicts: the office uploads the next year's work report for a document; each target
of the document gets met / not_met / unknown with the why, shown per task and on the document
page, and given to the ledger by ``verdicts_for``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi_web.documents.models import Target
from luoshi_web.supervision.actions import judge_year_end
from luoshi_web.supervision.models import TargetVerdict, YearEndReport
from luoshi_web.supervision.yearend import YearEndRefused, verdicts_for

from conftest import NOTICE_2024, SAMPLES

pytestmark = pytest.mark.django_db
REPORT_2025 = SAMPLES / "zhejiang-2025-work-report-excerpt.txt"


def report_upload(path=REPORT_2025, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), "text/plain")


def upload(client, document, file):
    return client.post(reverse("supervision:year-end", args=[document.pk]), {"file": file})


def target(document, text_part: str) -> Target:
    return Target.objects.get(task__section__part__document=document, text__contains=text_part)


def test_the_2025_report_judges_the_2024_targets(people, client_for, document):
    response = upload(client_for(people.office), document, report_upload())
    assert response.status_code == 302
    assert response["Location"].endswith("#year-end")
    verdicts = verdicts_for(document)
    fdi = verdicts[target(document, "实际使用外资").pk]
    assert fdi.verdict == "not_met"
    assert fdi.why == "152.7亿美元 < 200亿美元"
    assert "实际使用外资152.7亿美元" in fdi.result_text and fdi.result_line == 3
    assert verdicts[target(document, "和美乡村覆盖率").pk].verdict == "met"
    listed = verdicts[target(document, "上市公司 50 家").pk]
    assert listed.verdict == "not_met" and listed.why == "23家 < 50家"
    report = YearEndReport.objects.get(document=document)
    assert report.report_year == 2025 and report.unmatched == 0
    assert report.uploaded_by == people.office
    assert report.history.first().history_change_reason == "上传年度政府工作报告"
    assert len(verdicts) == Target.objects.filter(task__section__part__document=document).count()


def test_the_verdicts_show_on_the_task_page_and_the_document_page(people, client_for, document):
    judge_year_end(people.office, document, report_upload())
    fdi = target(document, "实际使用外资")
    client = client_for(people.office)
    page = client.get(reverse("task-detail", args=[fdi.task_id])).content.decode()
    assert 'data-test="task-verdicts"' in page
    assert 'data-verdict="not_met"' in page and "152.7亿美元 &lt; 200亿美元" in page
    assert "未完成" in page
    doc = client.get(reverse("supervision:document", args=[document.pk]))
    counts = doc.context["verdicts"]
    assert counts["not_met"] >= 2 and counts["met"] >= 1
    assert counts["total"] == counts["met"] + counts["not_met"] + counts["unknown"]
    assert 'data-test="count-not-met"' in doc.content.decode()


def test_a_unit_sees_verdicts_only_on_its_own_tasks(people, client_for, document):
    judge_year_end(people.office, document, report_upload())
    fdi = target(document, "实际使用外资")
    finance = client_for(people.lead_unit)
    assert finance.get(reverse("task-detail", args=[fdi.task_id])).status_code == 404
    page = finance.get(reverse("supervision:document", args=[document.pk]))
    assert "152.7亿美元" not in page.content.decode()
    visible_targets = Target.objects.filter(
        task__assignments__unit__registry_id="zj-finance", task__section__part__document=document
    ).distinct()
    assert page.context["verdicts"]["total"] == visible_targets.count()
    # 省商务厅 is on the foreign-investment task: it sees that verdict
    commerce = client_for(people.outsider)
    page = commerce.get(reverse("task-detail", args=[fdi.task_id])).content.decode()
    assert "152.7亿美元 &lt; 200亿美元" in page


def test_a_file_that_is_no_work_report_gets_one_clear_message_and_the_form_back(
    people, client_for, document
):
    client = client_for(people.office)
    junk = SimpleUploadedFile("memo.txt", "关于召开会议的通知\n请各单位准时参加。\n".encode())
    response = upload(client, document, junk)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("这不是政府工作报告") == 1
    assert 'data-test="year-end-form"' in page
    assert not YearEndReport.objects.exists()


def test_a_breakdown_notice_is_refused_as_no_work_report(people, document):
    with pytest.raises(YearEndRefused, match="这是责任分解通知"):
        judge_year_end(people.office, document, report_upload(NOTICE_2024))


def test_a_report_of_another_year_is_refused(people, document):
    document.year = 2023  # the 2025 report reviews 2024: it cannot judge a 2023 notice
    with pytest.raises(YearEndRefused, match="须用回顾2023年的2024年政府工作报告"):
        judge_year_end(people.office, document, report_upload())
    assert not YearEndReport.objects.exists()


def test_a_file_of_a_type_not_taken_is_refused_with_the_reason(people, client_for, document):
    response = upload(
        client_for(people.office), document, SimpleUploadedFile("r.exe", b"MZ\x00\x01")
    )
    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()


def test_the_same_report_uploaded_again_is_judged_again(people, document):
    first = judge_year_end(people.office, document, report_upload())
    TargetVerdict.objects.filter(report=first).update(verdict="unknown", why="旧")
    again = judge_year_end(people.office, document, report_upload())
    assert again.pk == first.pk
    assert verdicts_for(document)[target(document, "实际使用外资").pk].verdict == "not_met"
    assert YearEndReport.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "lead_unit", "outsider"])
def test_only_the_office_uploads_the_report(people, client_for, document, role):
    response = upload(client_for(getattr(people, role)), document, report_upload())
    assert response.status_code == 403
    assert not YearEndReport.objects.exists()


def test_no_report_no_verdicts(document):
    assert verdicts_for(document) == {}
