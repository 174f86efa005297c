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
from django.db.models import prefetch_related_objects

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


def periods_of(document: Document) -> list[Period]:
    """The document's periods in order, read once per document instance (a dozen rows): the
    period a request names, the task page's rows and the light computed after a filing all use
    the same list."""
    prefetch_related_objects([document], "periods")
    return list(document.periods.all())


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
