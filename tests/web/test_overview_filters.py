"""The office overview stays cheap with thousands of notices: its document filter lists the
chosen year's documents only, with a year filter beside it, both built as one string; the
overdue list reads ids and names, and the tasks and units of the rows it shows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi_web.documents import importing

from conftest import NOTICE_2020, NOTICE_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_years(document):
    return {
        2020: importing.import_notice(NOTICE_2020, None),
        2024: document,
        2026: importing.import_notice(NOTICE_2026, None),
    }


def test_the_document_filter_lists_the_chosen_year_and_the_year_filter_every_year(
    people, client_for, three_years
):
    client = client_for(people.office)
    response = client.get(reverse("supervision:overview"), {"doc": three_years[2024].pk})
    page = response.content.decode()
    assert response.context["document"] == three_years[2024]
    assert '<option value="2024" selected>2024 年（1 份）</option>' in page
    assert '<option value="2020">2020 年（1 份）</option>' in page
    documents = re.search(r'data-test="filter-doc">(.*?)</select>', page).group(1)
    doc_2024 = three_years[2024]
    assert documents == f'<option value="{doc_2024.pk}" selected>{doc_2024.doc_number}</option>'


def test_choosing_a_year_shows_that_years_newest_document(people, client_for, three_years):
    client = client_for(people.office)
    # the filter form sends the document still chosen with the new year: the year wins
    response = client.get(
        reverse("supervision:overview"),
        {"year": 2020, "doc": three_years[2024].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.context["document"] == three_years[2020]
    assert f'<option value="{three_years[2020].pk}" selected>' in response.content.decode()
    # a year without documents changes nothing
    response = client.get(
        reverse("supervision:overview"), {"year": 2019, "doc": three_years[2024].pk}
    )
    assert response.context["document"] == three_years[2024]


def test_the_overdue_list_reads_the_tasks_and_units_of_the_rows_it_shows_only(
    people, client_for, document
):
    period = document.periods.get(label="2024-03")
    url = reverse("supervision:overview")
    client = client_for(people.office)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"doc": document.pk, "period": period.pk})
    rows, shown = response.context["overdue_all"], response.context["overdue"]
    assert len(rows) > len(shown) == 50  # more than a page late
    assert all(r.task is not None and r.unit is not None for r in shown)
    assert sum(r.task is None for r in rows) == len(rows) - len(shown)
    page = response.content.decode()
    first = shown[0]
    assert f'value="{first.key}"' in page and first.unit.name in page
    # a fixed number of queries, whatever the number of rows (no query per row)
    assert len(queries) < 40, [q["sql"][:80] for q in queries]
