"""Importing notices: the three samples, the same file twice, all or nothing, reparse keeps the
reports, the browser's upload → preview → confirm, and what an upload may be."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import luoshi
from luoshi_web.documents import importing
from luoshi_web.documents.models import (
    Assignment,
    Document,
    Leader,
    ParseWarning,
    Part,
    Section,
    Target,
    Task,
    Unit,
)
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Period, ProgressReport

from conftest import NOTICE_2020, NOTICE_2024, NOTICE_2026

pytestmark = pytest.mark.django_db

ROW_MODELS = (Document, Part, Section, Task, Assignment, Target, ParseWarning, Period)


def counts():
    return {m.__name__: m.objects.count() for m in ROW_MODELS}


def stored_files(document_dir: Path) -> set[Path]:
    return set(document_dir.rglob("*")) if document_dir.exists() else set()


def test_the_session_notice_is_imported_as_the_parser_reads_it(document):
    notice = luoshi.parse_notice(NOTICE_2024)
    assert document.doc_number == "浙政办发〔2024〕3号"
    assert document.parser_version == luoshi.__version__
    assert document.sha256 == hashlib.sha256(NOTICE_2024.read_bytes()).hexdigest()
    assert document.source_file.read() == NOTICE_2024.read_bytes()
    assert Task.objects.filter(section__part__document=document).count() == sum(
        1 for _ in notice.tasks()
    )
    assert document.warnings.count() == len(notice.warnings)
    assert [p.label for p in document.periods.all()][:2] == ["2024-01", "2024-02"]
    december = document.periods.get(label="2024-12")
    assert str(december.deadline) == "2025-01-05"


def test_it_imports_the_2020_and_2026_samples(db):
    for path, year, tasks in ((NOTICE_2020, 2020, 210), (NOTICE_2026, 2026, 240)):
        doc = importing.import_notice(path, None)
        assert doc.year == year
        assert Task.objects.filter(section__part__document=doc).count() == tasks
        assert doc.periods.count() == 12


def test_a_fifteenth_five_year_part_keeps_its_years_and_the_documents_periods(db):
    doc = importing.import_notice(NOTICE_2026, None)
    first = doc.parts.get(index=0)
    assert (first.period_start, first.period_end) == (2026, 2030)
    assert doc.periods.first().label == "2026-01"


def test_a_unit_the_registry_does_not_name_is_kept_as_written(document):
    written = Assignment.objects.filter(task__section__part__document=document, unit=None)
    assert written.filter(name_as_written="各市、县（市、区）政府").exists()
    assert Assignment.objects.filter(unit__registry_id="zj-finance", role="lead").exists()


def test_a_leader_named_two_ways_is_one_leader(document):
    leader = Leader.objects.get(name="庐山")
    assert "卢山" in leader.also_names
    assert not Leader.objects.filter(name="卢山").exists()
    assert leader.tasks.filter(section__part__kind="livelihood").exists()


def test_it_refuses_the_same_file_twice(document):
    before = counts()
    with pytest.raises(importing.ImportRefused, match="该文件已导入"):
        importing.import_notice(NOTICE_2024, None)
    assert counts() == before


def test_it_refuses_what_is_not_a_notice(db, tmp_path):
    report = Path(luoshi.__file__).parent / "samples" / "zhejiang-2024-work-report-summary.md"
    with pytest.raises(importing.ImportRefused, match="政府工作报告"):
        importing.import_notice(report, None)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(importing.ImportRefused, match="空"):
        importing.import_notice(empty, None)


def test_a_failure_half_way_leaves_no_row_and_no_file(db, monkeypatch, settings):
    before = counts()
    files_before = stored_files(Path(settings.MEDIA_ROOT))
    calls = {"n": 0}
    real = importing._write_targets

    def crash_after_some_tasks(task, targets):
        # Simulates a crash in the middle of the import (the one place a monkeypatch is right).
        calls["n"] += 1
        if calls["n"] == 50:
            raise RuntimeError("disk full")
        return real(task, targets)

    monkeypatch.setattr(importing, "_write_targets", crash_after_some_tasks)
    with pytest.raises(RuntimeError, match="disk full"):
        importing.import_notice(NOTICE_2026, None)
    assert calls["n"] == 50
    assert counts() == before
    assert not Document.objects.filter(year=2026).exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == files_before


def test_units_are_created_from_the_registry_only_as_needed_and_loadunits_adds_the_rest(db):
    from luoshi_web.documents.units import load_units

    some = Unit.objects.count()
    assert 0 < some < 223
    created, updated = load_units()
    assert created == 223 - some and updated == 0
    assert load_units() == (0, 0)
    big_data = (
        Unit.objects.get(registry_id="zj-big-data")
        if Unit.objects.filter(registry_id="zj-big-data").exists()
        else None
    )
    linked = Unit.objects.filter(successors__isnull=False).distinct()
    assert linked.exists()
    assert big_data is None or big_data.successors.exists() or big_data.predecessors.exists()


def test_reparse_keeps_the_reports_and_retires_a_task_that_disappeared(
    people, document, task, period, data
):
    report = actions.file_report(people.lead_unit, task, period, data(), 0, submit=True)
    text = NOTICE_2024.read_text(encoding="utf-8")
    item = "3. 积极争取并高效用好地方政府专项债券，充分发挥其对重大项目建设的拉动作用。\n\n责任单位：省财政厅、省发展改革委\n"
    assert item in text
    cut = text.replace(item, "", 1)
    notice = luoshi.parse_notice_text(cut)
    before = Task.objects.filter(section__part__document=document).count()
    summary = importing.reparse(document, people.office, notice=notice)
    assert summary.retired >= 1
    task.refresh_from_db()
    assert task.retired
    assert ProgressReport.objects.filter(pk=report.pk).exists()
    assert Task.objects.filter(section__part__document=document).count() >= before
    # the stored file itself parses back to the original: a second reparse brings it back
    summary = importing.reparse(document, people.office)
    task.refresh_from_db()
    assert not task.retired
    assert task.reports.get() == report
    assert task.history.filter(history_change_reason__startswith="重新解析").exists()


def test_reparse_of_an_unchanged_file_matches_every_task(document):
    total = Task.objects.filter(section__part__document=document).count()
    summary = importing.reparse(document)
    assert (summary.matched, summary.created, summary.retired) == (total, 0, 0)


def test_reparse_refuses_a_stored_file_that_changed(document):
    path = Path(document.source_file.path)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n")
        with pytest.raises(importing.ImportRefused, match="sha256"):
            importing.reparse(document)
    finally:
        path.write_bytes(original)


def test_the_office_uploads_previews_and_confirms_in_the_browser(people, client_for):
    client = client_for(people.office)
    upload = SimpleUploadedFile("通知2026.txt", NOTICE_2026.read_bytes(), "text/plain")
    response = client.post(reverse("import"), {"file": upload, "period_kind": "quarterly"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "浙政办发〔2026〕4号" in page
    assert "missing_separator" in page  # the warnings are shown before anything is written
    assert not Document.objects.filter(year=2026).exists()
    token = response.context["token"]
    response = client.post(reverse("import-confirm"), {"token": token})
    assert response.status_code == 302
    doc = Document.objects.get(year=2026)
    assert doc.imported_by == people.office
    assert doc.period_kind == "quarterly"
    assert [p.label for p in doc.periods.all()] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    # the token is spent
    response = client.post(reverse("import-confirm"), {"token": token})
    assert Document.objects.filter(year=2026).count() == 1


def test_the_upload_page_refuses_a_file_already_imported(people, client_for):
    client = client_for(people.office)
    upload = SimpleUploadedFile("again.txt", NOTICE_2024.read_bytes(), "text/plain")
    response = client.post(reverse("import"), {"file": upload, "period_kind": "monthly"})
    assert response.status_code == 400
    assert "该文件已导入" in response.content.decode()


def test_the_upload_page_refuses_a_type_it_does_not_take(people, client_for):
    client = client_for(people.office)
    upload = SimpleUploadedFile("notice.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post(reverse("import"), {"file": upload, "period_kind": "monthly"})
    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()


def test_an_upload_over_the_size_limit_is_refused(people, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client = client_for(people.office)
    upload = SimpleUploadedFile("big.txt", NOTICE_2026.read_bytes(), "text/plain")
    response = client.post(reverse("import"), {"file": upload, "period_kind": "monthly"})
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()


def test_the_original_file_downloads_as_an_attachment_never_as_html(people, client_for, document):
    response = client_for(people.office).get(reverse("document-file", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == NOTICE_2024.read_bytes()
    assert (
        client_for(people.lead_unit).get(reverse("document-file", args=[document.pk])).status_code
        == 403
    )
