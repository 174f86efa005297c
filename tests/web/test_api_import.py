"""``POST /api/documents``: the office previews a notice (nothing stored), then imports it; the
same file twice is 409; a file that is no notice is 400 with the parser's one-line reason; a
file too large 413; a type not taken 415."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from test_api_support import Caller

from luoshi_web.documents.models import Document, Task

from conftest import NOTICE_2026

pytestmark = pytest.mark.django_db

URL = "/api/documents"


def notice(path: Path = NOTICE_2026, name: str | None = None, data: bytes | None = None):
    return SimpleUploadedFile(name or path.name, path.read_bytes() if data is None else data)


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_the_office_previews_then_imports_a_notice(people):
    office = Caller(people.office)
    documents, files = Document.objects.count(), stored_files()

    preview = office.upload(f"{URL}?confirm=false", {"file": notice()})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["year"] == 2026
    assert body["name"] == NOTICE_2026.name
    assert body["task_count"] == sum(p["task_count"] for p in body["parts"]) > 0
    assert all({"code", "line", "message", "message_zh"} <= set(w) for w in body["warnings"])
    assert body["warnings"] and all(
        re.search(r"[\u4e00-\u9fff]", w["message_zh"]) for w in body["warnings"]
    )  # the pages' Chinese, for scripts too
    assert Document.objects.count() == documents and stored_files() == files  # nothing stored

    imported = office.upload(f"{URL}?confirm=true", {"file": notice(), "period_kind": "quarterly"})
    assert imported.status_code == 201, imported.content
    document = imported.json()
    assert document["year"] == 2026 and document["period_kind"] == "quarterly"
    assert document["task_count"] == body["task_count"]
    assert [w["message_zh"] for w in document["warnings"]] == [
        w["message_zh"] for w in body["warnings"]
    ]
    row = Document.objects.get(pk=document["id"])
    assert row.imported_by == people.office
    assert Task.objects.filter(section__part__document=row).count() == body["task_count"]
    periods = office.get("/api/periods", {"document": row.pk}).json()
    assert [p["label"] for p in periods] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]

    for confirm in ("false", "true"):
        again = office.upload(f"{URL}?confirm={confirm}", {"file": notice()})
        assert again.status_code == 409
        assert again.json()["code"] == "already_imported"
        assert str(row.pk) in again.json()["detail"]
    assert Document.objects.count() == documents + 1


def test_a_file_that_is_no_notice_is_refused_with_one_line(people):
    office = Caller(people.office)
    for confirm in ("false", "true"):
        response = office.upload(
            f"{URL}?confirm={confirm}",
            {
                "file": notice(
                    name="memo.txt", data="关于召开会议的通知\n请各单位准时参加。\n".encode()
                )
            },
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "unreadable"
        assert body["detail"] and "\n" not in body["detail"]
        assert "通知" in body["detail"]
    assert not Document.objects.filter(original_name="memo.txt").exists()


def test_an_empty_file_is_refused(people):
    response = Caller(people.office).upload(URL, {"file": notice(name="empty.txt", data=b"")})
    assert response.status_code == 400
    assert response.json()["detail"] == "文件是空的"


def test_a_file_of_another_type_is_415(people):
    response = Caller(people.office).upload(URL, {"file": notice(name="notice.exe")})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_type"
    assert "exe" in response.json()["detail"]


def test_a_file_too_large_is_413(people, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = Caller(people.office).upload(URL, {"file": notice()})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_body_declared_too_large_is_refused_before_it_is_read(people, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    office = Caller(people.office)
    response = office.client.generic(
        "POST",
        URL,
        b"x",
        content_type="multipart/form-data; boundary=x",
        headers=office.headers,
        CONTENT_LENGTH=str(1024 + 300 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_upload_without_a_file_is_422(people):
    response = Caller(people.office).upload(URL, {"period_kind": "monthly"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "file"


def test_only_the_office_imports(people):
    for role in ("leader", "lead_unit", "participant"):
        response = Caller(getattr(people, role)).upload(URL, {"file": notice()})
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
