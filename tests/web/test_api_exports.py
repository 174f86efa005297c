"""The ledger and the bulletin for scripts: ``GET /api/documents/{id}/ledger.xlsx`` and
``/bulletin.docx``, within the caller's permissions."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from test_api_support import Caller

from luoshi_web.accounts import permissions

pytestmark = pytest.mark.django_db


def ledger_tasks(response) -> list[str]:
    wb = load_workbook(io.BytesIO(response.content))
    texts = []
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        if "重点工作" not in header:
            continue
        col = header.index("重点工作")
        texts.extend(row[col].value for row in ws.iter_rows(min_row=2) if row[col].value)
    return texts


def test_the_office_gets_the_whole_ledger(people, document):
    r = Caller(people.office).get(f"/api/documents/{document.pk}/ledger.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in r["Content-Disposition"]
    assert (
        len(ledger_tasks(r))
        == permissions.visible_tasks(people.office).filter(section__part__document=document).count()
    )


def test_a_units_ledger_holds_only_its_own_tasks(people, document, task):
    r = Caller(people.participant).get(f"/api/documents/{document.pk}/ledger.xlsx")
    assert r.status_code == 200
    mine = set(
        permissions.visible_tasks(people.participant)
        .filter(section__part__document=document)
        .values_list("text", flat=True)
    )
    texts = ledger_tasks(r)
    assert texts and set(texts) <= mine
    assert task.text in texts


def test_the_ledger_filters_by_leader_and_refuses_an_unknown_one(people, document):
    office = Caller(people.office)
    r = office.get(f"/api/documents/{document.pk}/ledger.xlsx", {"leader": "王浩"})
    assert r.status_code == 200 and 0 < len(ledger_tasks(r)) < 20
    r = office.get(f"/api/documents/{document.pk}/ledger.xlsx", {"leader": "无此人"})
    assert r.status_code == 400 and r.json()["code"] == "invalid"


def test_the_csv_ledger_starts_with_a_bom(people, document):
    r = Caller(people.office).get(f"/api/documents/{document.pk}/ledger.csv")
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    assert "重点工作" in r.content.decode("utf-8-sig").splitlines()[0]


def test_the_bulletin_for_a_period(people, document):
    r = Caller(people.office).get(
        f"/api/documents/{document.pk}/bulletin.docx", {"period": "2024-03"}
    )
    assert r.status_code == 200
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(r.content)).paragraphs)
    assert "通报" in text and "2024" in text
    r = Caller(people.office).get(
        f"/api/documents/{document.pk}/bulletin.docx", {"period": "1999-01"}
    )
    assert r.status_code == 400


def test_a_document_nobody_sees_is_not_found(people):
    assert Caller(people.office).get("/api/documents/999999/ledger.xlsx").status_code == 404
    assert Caller(None).get("/api/documents/1/ledger.xlsx").status_code == 401
