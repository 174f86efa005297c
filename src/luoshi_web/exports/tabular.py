"""The ledger as CSV (for Excel) and JSON (for scripts), from the same rows as the workbook.

CSV: UTF-8 with a BOM (Excel then reads the Chinese right), CRLF line ends, the workbook's
Chinese headers, one row per task in the workbook's order (its sheets one after another);
完成率 as ``30%``, 亮灯 as 红/黄/绿. A cell that Excel would run as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` (OWASP's advice on CSV
injection), so a unit's narrative can never become a formula on the office's machine.

JSON (UTF-8, Chinese unescaped)::

    {"document": {"id": 1, "title": "…", "doc_number": "浙政办发〔2024〕3号", "year": 2024},
     "period": {"label": "2024-03", "display": "2024年3月", "deadline": "2024-04-05"},
     "filters": {"leader": "王浩" | null, "unit": "省财政厅" | null},
     "generated_at": "2024-04-10T09:00:00+08:00",
     "columns": [{"key": "number", "header": "序号"}, …],
     "rows": [ledger_rows' dicts: "light": "red", "percent": 30, …]}
"""

from __future__ import annotations

import csv
import io
import json

from django.utils import timezone

from luoshi_web.documents.models import Document
from luoshi_web.exports.rows import cell_value, ledger_columns, ledger_rows, parse_filters

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(row: dict, key: str) -> str:
    """The text of one CSV cell (see the module docstring)."""
    value = cell_value(row, key)
    if value is None:
        return ""
    if key == "percent":
        return f"{value}%"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def ledger_csv(
    user, document: Document, *, leader=None, unit=None, period=None, filters=None
) -> bytes:
    """The ledger as CSV bytes, UTF-8 with BOM; arguments as ``ledger.build_ledger``."""
    filters = filters or parse_filters(document, leader=leader, unit=unit, period=period)
    rows = ledger_rows(user, document, filters=filters)
    columns = ledger_columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row, c.key) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def ledger_json(
    user, document: Document, *, leader=None, unit=None, period=None, filters=None
) -> bytes:
    """The ledger as JSON bytes (see the module docstring); arguments as ``build_ledger``."""
    filters = filters or parse_filters(document, leader=leader, unit=unit, period=period)
    rows = ledger_rows(user, document, filters=filters)
    period_row = filters.period
    payload = {
        "document": {
            "id": document.pk,
            "title": document.title,
            "doc_number": document.doc_number,
            "year": document.year,
        },
        "period": {
            "label": period_row.label,
            "display": period_row.display,
            "deadline": period_row.deadline.isoformat(),
        },
        "filters": {
            "leader": filters.leader.name if filters.leader else None,
            "unit": filters.unit.name if filters.unit else None,
        },
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "columns": [{"key": c.key, "header": c.header} for c in ledger_columns(rows)],
        "rows": rows,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
