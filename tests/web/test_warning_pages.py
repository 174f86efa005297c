"""The parser's warnings on the pages are in Chinese, with the code in a title: the upload's
preview, the list of documents and the document page; a warning stored before the parser wrote
Chinese shows its kind in Chinese until the document is parsed again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import luoshi
from luoshi.model import WARNING_KINDS
from luoshi_web.documents import importing

from conftest import NOTICE_2024, NOTICE_2026

pytestmark = pytest.mark.django_db

LEADER_ZH = "此处领导写作“卢山”，第177行的部分标题写作“庐山”：可能是同一人的两种写法"


def test_the_import_stores_each_warning_in_chinese_beside_the_english(document):
    notice = luoshi.parse_notice(NOTICE_2024)
    stored = [(w.code, w.line, w.message, w.message_zh) for w in document.warnings.all()]
    assert stored == [(w.code, w.line, w.message, w.message_zh) for w in notice.warnings]
    assert all(w.message_zh for w in document.warnings.all())


def test_the_preview_shows_the_warnings_in_chinese_with_the_code_as_title(people, client_for):
    upload = SimpleUploadedFile("通知2026.txt", NOTICE_2026.read_bytes(), "text/plain")
    response = client_for(people.office).post(
        reverse("import"), {"file": upload, "period_kind": "monthly"}
    )
    page = response.content.decode()
    assert (
        '<span title="missing_separator">“省委军民融合办省国动办”按2个连写的单位读取：'
        "省委军民融合办、省国动办</span>" in page
    )
    assert "read as 2 units run together" not in page


def test_the_document_list_and_the_document_page_show_the_warnings_in_chinese(
    people, client_for, document
):
    office = client_for(people.office)
    for page in (
        office.get(reverse("document-list")).content.decode(),
        office.get(reverse("supervision:document", args=[document.pk])).content.decode(),
    ):
        assert f'<span title="leader_name_mismatch">{LEADER_ZH}</span>' in page
        assert "probably one person named two ways" not in page


def test_a_warning_stored_before_the_chinese_shows_its_kind_until_the_notice_is_parsed_again(
    people, client_for, document
):
    document.warnings.update(message_zh="")
    page = client_for(people.office).get(reverse("document-list")).content.decode()
    assert f"{WARNING_KINDS['leader_name_mismatch']}：leader named “卢山” here" in page
    importing.reparse(document)
    page = client_for(people.office).get(reverse("document-list")).content.decode()
    assert LEADER_ZH in page
