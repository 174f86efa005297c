"""本期: the period units are filing for is one rule (``tracking.periods.filing_period``) that
the task page marks, the ledger and bulletin download by default, and the document list names
beside its download links."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi_web.exports import rows as rows_module
from luoshi_web.exports.rows import default_period
from luoshi_web.tracking.periods import filing_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_verdicts(monkeypatch):
    monkeypatch.setattr(rows_module, "verdicts_of", lambda document: None)


@pytest.fixture
def on(monkeypatch):
    """Set today's date for the pages."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


@pytest.mark.parametrize(
    "today, label",
    [
        (date(2023, 12, 20), "2024-01"),  # before the year: the first
        (date(2024, 1, 31), "2024-01"),  # nothing has ended yet
        (date(2024, 4, 1), "2024-03"),  # March has ended: filed for until 04-05
        (date(2024, 4, 5), "2024-03"),
        (date(2024, 4, 20), "2024-03"),  # late, and April is still running
        (date(2024, 5, 1), "2024-04"),
        (date(2025, 2, 1), "2024-12"),  # after the year: the last
    ],
)
def test_the_period_filed_for_is_the_latest_that_has_ended(document, today, label):
    assert filing_period(document, today).label == label
    assert default_period(document, today).label == label


def test_the_task_page_marks_the_period_filed_for_and_offers_the_running_month(
    people, client_for, task, on
):
    on(date(2024, 4, 3))
    response = client_for(people.lead_unit).get(reverse("task-detail", args=[task.pk]))
    assert [r["period"].label for r in response.context["rows"]] == [
        "2024-04",  # running: a unit may report before the month is out
        "2024-03",
        "2024-02",
        "2024-01",
    ]
    assert response.context["current_period"].label == "2024-03"
    page = response.content.decode()
    assert page.count('data-test="current-period"') == 1
    marked = page.index('data-test="current-period"')
    assert page.rindex('data-test="period-', 0, marked) == page.index('data-test="period-2024-03"')
    assert 'data-test="period-2024-05"' not in page


def test_the_ledger_downloads_the_period_the_task_page_offers(people, client_for, document, on):
    on(date(2024, 4, 20))
    client = client_for(people.office)
    url = reverse("export-ledger", args=[document.pk])
    data = json.loads(client.get(url + "?format=json").content)
    assert data["period"]["label"] == "2024-03"
    for response in (client.get(url), client.get(reverse("export-bulletin", args=[document.pk]))):
        assert "2024-03" in response["Content-Disposition"]
        assert quote("2024年3月") in response["Content-Disposition"]


def test_the_document_list_names_the_period_its_links_download(people, client_for, document, on):
    on(date(2024, 4, 3))
    page = client_for(people.office).get(reverse("document-list")).content.decode()
    assert "本期 2024年3月（4月5日前报送）" in page
    ledger = reverse("export-ledger", args=[document.pk])
    assert f'href="{ledger}?period=2024-03"' in page
    assert f'href="{ledger}?format=csv&amp;period=2024-03"' in page
