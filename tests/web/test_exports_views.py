"""The export downloads in the browser: who gets what, and how the files are sent."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from luoshi_web.accounts import permissions
from luoshi_web.accounts.actions import create_user
from luoshi_web.documents.models import Unit
from luoshi_web.exports import rows as rows_module

pytestmark = pytest.mark.django_db

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _no_verdicts(monkeypatch):
    monkeypatch.setattr(rows_module, "verdicts_of", lambda document: None)


def ledger_url(document, **query) -> str:
    url = reverse("export-ledger", args=[document.pk])
    return url + ("?" + "&".join(f"{k}={quote(str(v))}" for k, v in query.items()) if query else "")


def bulletin_url(document, **query) -> str:
    url = reverse("export-bulletin", args=[document.pk])
    return url + ("?" + "&".join(f"{k}={quote(str(v))}" for k, v in query.items()) if query else "")


def task_count(content: bytes, extension: str) -> int:
    if extension == "xlsx":
        wb = load_workbook(io.BytesIO(content))
        return sum(ws.max_row - 1 for ws in wb if ws.title != "说明")
    if extension == "csv":
        return len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) - 1
    return len(json.loads(content)["rows"])


# role → status of the ledger (each format) and of the bulletin
MATRIX = [
    ("office", 200, 200),
    ("leader", 200, 200),
    ("other_leader", 200, 200),
    ("lead_unit", 200, 200),
    ("participant", 200, 200),
    ("outsider", 200, 200),
]


@pytest.mark.parametrize(("role", "ledger", "bulletin"), MATRIX)
def test_each_role_downloads_its_own_share_of_the_document(
    people, client_for, document, role, ledger, bulletin
):
    user = getattr(people, role)
    client = client_for(user)
    expected = permissions.visible_tasks(user).filter(section__part__document=document).count()
    for extension, content_type in FORMATS.items():
        response = client.get(ledger_url(document, format=extension, period="2024-03"))
        assert response.status_code == ledger
        assert response["Content-Type"] == content_type
        assert task_count(response.content, extension) == expected
    response = client.get(bulletin_url(document, period="2024-03"))
    assert response.status_code == bulletin
    assert response["Content-Type"] == DOCX


def test_a_unit_on_no_task_of_the_document_finds_no_document(client_for, document):
    unit = Unit.objects.create(registry_id="zj-idle", name="省闲置厅")
    client = client_for(create_user("idle", "pw-long-enough-123", "unit", unit=unit))
    assert client.get(ledger_url(document)).status_code == 404
    assert client.get(bulletin_url(document)).status_code == 404


def test_a_user_without_a_role_finds_no_document(client_for, document, django_user_model):
    client = client_for(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get(ledger_url(document)).status_code == 404
    assert client.get(bulletin_url(document)).status_code == 404


def test_anonymous_is_sent_to_the_login_page(people, client_for, document):
    client = client_for(people.anonymous)
    for url in (ledger_url(document), bulletin_url(document)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_document_that_does_not_exist_is_a_404(people, client_for):
    client = client_for(people.office)
    assert client.get(reverse("export-ledger", args=[999999])).status_code == 404
    assert client.get(reverse("export-bulletin", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"format": "pdf"}, "不支持的格式"),
        ({"period": "2024-13"}, "没有报送期"),
        ({"leader": "无名氏"}, "没有领导"),
        ({"unit": "zj-nowhere"}, "没有单位"),
    ],
)
def test_a_bad_query_is_a_400_with_the_reason(people, client_for, document, query, message):
    response = client_for(people.office).get(ledger_url(document, **query))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_bulletin_of_a_period_the_document_lacks_is_a_400(people, client_for, document):
    response = client_for(people.office).get(bulletin_url(document, period="2023-01"))
    assert response.status_code == 400


def test_the_downloads_refuse_a_post(people, client_for, document):
    client = client_for(people.office)
    assert client.post(ledger_url(document)).status_code == 405
    assert client.post(bulletin_url(document)).status_code == 405


def test_the_files_are_attachments_with_chinese_names_never_sniffed_or_cached(
    people, client_for, document
):
    client = client_for(people.lead_unit)
    response = client.get(ledger_url(document, period="2024-03"))
    name = "浙政办发〔2024〕3号重点工作台账（2024年3月·省财政厅）.xlsx"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ledger-')
    assert disposition.endswith(f"filename*=UTF-8''{quote(name, safe='')}")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert int(response["Content-Length"]) == len(response.content)
    response = client.get(bulletin_url(document, period="2024-03"))
    name = "2024年3月政府工作报告重点工作推进情况通报（浙政办发〔2024〕3号·省财政厅）.docx"
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(name, safe='')}")


def test_the_filters_reach_the_file(people, client_for, document):
    client = client_for(people.office)
    response = client.get(ledger_url(document, format="json", leader="王浩", unit="省财政厅"))
    payload = json.loads(response.content)
    assert payload["filters"] == {"leader": "王浩", "unit": "省财政厅"}
    assert payload["rows"] and all(
        r["leaders"] == "王浩" and "省财政厅" in r["units"] for r in payload["rows"]
    )
    response = client.get(ledger_url(document, format="csv", period="2024-Q1"))
    assert response.status_code == 400  # a monthly document has no quarters


def test_the_document_list_links_the_downloads(people, client_for, document):
    page = client_for(people.office).get(reverse("document-list")).content.decode()
    assert reverse("export-ledger", args=[document.pk]) in page
    assert reverse("export-bulletin", args=[document.pk]) in page
