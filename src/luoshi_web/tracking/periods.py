"""Reporting periods of a document: twelve months or four quarters of its year, each due on the
``FILING_DAY`` (5th) of the month after it ends.

``2024-03`` runs 2024-03-01 … 2024-03-31, due 2024-04-05; ``2024-12`` is due 2025-01-05;
``2024-Q2`` runs 2024-04-01 … 2024-06-30, due 2024-07-05. A 十五五 part of a 2026 notice still
reports in the 2026 periods. A period is filed for once it has ended (:func:`filing_period`).
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings

from luoshi_web.documents.models import Document
from luoshi_web.tracking.models import Period


def _due(year: int, month: int) -> date:
    """The filing day of the month after ``month``."""
    if month == 12:
        year, month = year + 1, 1
    else:
        month += 1
    return date(year, month, settings.FILING_DAY)


def period_specs(year: int, kind: str) -> list[tuple[str, date, date, date]]:
    """``(label, start, end, deadline)`` for each period of ``year``."""
    specs = []
    if kind == Document.QUARTERLY:
        for q in range(1, 5):
            first, last = 3 * q - 2, 3 * q
            end = date(year, last, calendar.monthrange(year, last)[1])
            specs.append((f"{year}-Q{q}", date(year, first, 1), end, _due(year, last)))
    else:
        for m in range(1, 13):
            end = date(year, m, calendar.monthrange(year, m)[1])
            specs.append((f"{year}-{m:02d}", date(year, m, 1), end, _due(year, m)))
    return specs


def build_periods(document: Document) -> list[Period]:
    """Create the document's periods (for its ``period_kind``); call inside the import's
    transaction."""
    return [
        Period.objects.create(document=document, label=label, start=s, end=e, deadline=d)
        for label, s, e, d in period_specs(document.year, document.period_kind)
    ]


# A document's periods never change once its import made them (``build_periods``); they go
# only with the document. Each process keeps their values by document and import time — an id
# a rolled-back import used and a later import gets again comes with another time — and makes
# new instances from them for each document instance asking.
_FIELDS = ("id", "document_id", "label", "start", "end", "deadline")
_KNOWN: dict[tuple, list[tuple]] = {}
_KNOWN_MAX = 4096  # documents; a country has 3,000 a decade


def periods_of(document: Document) -> list[Period]:
    """The document's periods in order (a dozen rows): the period a request names, the task
    page's rows and the light computed after a filing all use the same list, read from the
    database once per process and document."""
    mine = document.__dict__.get("_periods")
    if mine is None:
        key = (document.pk, document.imported_at)
        rows = _KNOWN.get(key)
        if rows is None:
            query = Period.objects.filter(document=document.pk).order_by("start")
            rows = list(query.values_list(*_FIELDS))
            if rows:  # none yet while the import that makes them runs
                if len(_KNOWN) >= _KNOWN_MAX:
                    _KNOWN.clear()
                _KNOWN[key] = rows
        mine = document.__dict__["_periods"] = [
            Period.from_db(document._state.db, _FIELDS, row) for row in rows
        ]
    return list(mine)


def filing_period(document: Document, today: date) -> Period | None:
    """The period units are filing for on ``today``, the one every page calls 本期: the latest
    that has ended (its report is due on the ``FILING_DAY`` of the month after), else the first
    (before any has ended); None for a document without periods.

    On 2024-04-03 that is ``2024-03`` (due 2024-04-05), and still on 2024-04-20 (late by then);
    ``2024-04`` from 2024-05-01; ``2024-12`` for ever after the year. The task page offers no
    later period but the month that is running (a unit may report before it is out) and marks
    it; the ledger, the bulletin and the API's downloads default to it.
    """
    periods = periods_of(document)
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else (periods[0] if periods else None)
