"""The ledger (台账) as an Excel workbook.

``build_ledger(user, document, leader=…, unit=…, period=…)`` → the bytes of an .xlsx:

* one sheet per part of the notice (``重点工作``, ``民生实事``; a notice with two key-task parts
  gets ``重点工作（2026-2030）`` and ``重点工作（2026）``), each a plain table: the header on row 1,
  one row per task, no grouping rows — so the auto filter and sorting work on every row. The
  part, section and task are in 序号 (``1-2-5``), and the last sheet, ``说明``, names each part
  and section, the document, 文号, the period, the scope, and when the file was made. A part
  the user has no task in gets no sheet; a user with no task at all gets one empty ``台账``.
* columns 序号, 重点工作, 牵头领导, 牵头单位, 责任单位, 量化指标, 完成时限, 本期进展, 完成率, 亮灯,
  存在问题, 下步打算 (and 年终评估 when the supervision app gives verdicts), from
  :func:`~luoshi_web.exports.rows.ledger_rows`;
* 完成率 a number in percent format; 亮灯 the word 红/黄/绿 on a red, yellow or green fill;
* wrapped text, column widths for Chinese, a CJK font (宋体: Excel and WPS have it; LibreOffice
  falls back to a CJK font it has), thin borders, the header frozen, an auto filter;
* print setup: A4 landscape, fit to one page wide, the header row repeated on every page, the
  document and period in the page header and the page number in the footer.

Text that starts with ``=`` is stored as text, never as a formula.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from luoshi_web.documents.models import Document, Part, Task
from luoshi_web.exports.rows import (
    Column,
    Filters,
    cell_value,
    document_label,
    ledger_columns,
    ledger_rows,
    parse_filters,
    scope_label,
    tidy_title,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT_NAME = "宋体"
KIND_NAMES = {"key_tasks": "重点工作", "livelihood": "民生实事"}
LINE_HEIGHT = 13.5  # points per line of 10-point text
CENTERED = {"number", "leaders", "deadline", "percent", "light"}

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
LIGHT_FILLS = {
    Task.RED: (PatternFill("solid", fgColor="FF0000"), "FFFFFF"),
    Task.YELLOW: (PatternFill("solid", fgColor="FFFF00"), "000000"),
    Task.GREEN: (PatternFill("solid", fgColor="00B050"), "FFFFFF"),
}


def build_ledger(
    user, document: Document, *, leader=None, unit=None, period=None, filters=None
) -> bytes:
    """The .xlsx bytes of the ledger of ``document`` as ``user`` may see it (see the module
    docstring). ``leader``, ``unit`` and ``period`` as ``rows.parse_filters`` takes them (a
    row or an id, name or label); raises ``rows.FilterError`` for one that names nothing."""
    filters = filters or parse_filters(document, leader=leader, unit=unit, period=period)
    rows = ledger_rows(user, document, filters=filters)
    return ledger_workbook(
        document, filters, rows, scope=scope_label(user, filters), generated_at=timezone.now()
    )


def sheet_names(document: Document) -> dict[int, str]:
    """Part number (from 1) → sheet name: the kind of the part, with its years when two parts
    of the notice are of one kind."""
    parts: list[Part] = list(document.parts.all())
    kinds = defaultdict(int)
    for part in parts:
        kinds[part.kind] += 1
    names = {}
    for part in parts:
        name = KIND_NAMES.get(part.kind, part.kind)
        if kinds[part.kind] > 1:
            years = (
                f"{part.period_start}"
                if part.period_start == part.period_end
                else f"{part.period_start}-{part.period_end}"
            )
            name = f"{name}（{years}）"
        if name in names.values():
            name = f"{name}{part.index + 1}"
        names[part.index + 1] = name[:31]
    return names


def text_width(text: str) -> float:
    """Width of ``text`` in Excel's column units: a Chinese (wide) character takes
    about 1.8 (宋体 10 pt against the default font's digit)."""
    return sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def row_height(row: dict, columns: tuple[Column, ...]) -> float:
    """Points a row needs for its wrapped text. Written out because LibreOffice keeps the
    default height of a row without one (the text then overlaps), and Excel does not always
    fit it either."""
    lines = 1
    for column in columns:
        value = cell_value(row, column.key)
        if not isinstance(value, str) or not value:
            continue
        usable = max(column.width - 1.5, 1)
        needed = sum(max(1, math.ceil(text_width(line) / usable)) for line in value.split("\n"))
        lines = max(lines, needed)
    return min(LINE_HEIGHT * lines + 4, 409)  # 409 points: Excel's highest row


def _font(**kwargs) -> Font:
    return Font(name=FONT_NAME, **kwargs)


def _write_table(ws, columns: tuple[Column, ...], rows: list[dict], header: str) -> None:
    body_font = _font(size=10)
    for col, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=col, value=column.header)
        cell.font = _font(size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for r, row in enumerate(rows, 2):
        ws.row_dimensions[r].height = row_height(row, columns)
        for col, column in enumerate(columns, 1):
            value = cell_value(row, column.key)
            cell = ws.cell(row=r, column=col)
            if column.key == "percent":
                cell.value = None if value is None else value / 100
                cell.number_format = "0%"
            else:
                cell.value = value if value not in (None, "") else None
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a narrative, not a formula
            cell.font = body_font
            cell.border = BORDER
            cell.alignment = Alignment(
                horizontal="center" if column.key in CENTERED else "left",
                vertical="top",
                wrap_text=True,
            )
            if column.key == "light" and row.get("light") in LIGHT_FILLS:
                fill, colour = LIGHT_FILLS[row["light"]]
                cell.fill = fill
                cell.font = _font(size=10, bold=True, color=colour)
    last = get_column_letter(len(columns))
    ws.row_dimensions[1].height = 24
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3)
    ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _write_notes(ws, document: Document, filters: Filters, rows, *, scope, generated_at):
    """The 说明 sheet: what the workbook is and how 序号 reads."""
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 36
    ws.column_dimensions["D"].width = 12
    period = filters.period
    title = ws.cell(row=1, column=1, value=f"{tidy_title(document.title) or document}")
    title.font = _font(size=14, bold=True)
    ws.merge_cells("A1:D1")
    facts = [
        ("文号", document.doc_number),
        ("报送期", f"{period.display}（{period.label}，{period.deadline:%Y-%m-%d} 前报送）"),
        ("范围", scope or "全部任务"),
        ("任务数", len(rows)),
        ("生成时间", timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")),
        ("序号", "部分-分工-项次：1-2-5 为第一部分第 2 项分工（领导或方面）的第 5 项任务"),
        (
            "本期进展",
            "牵头单位本期汇总（已审核通过的优先，否则最近报送的）；尚无汇总时为各单位报送",
        ),
        ("亮灯", "红、黄、绿灯按亮灯规则每日计算；红灯原因见督查通报"),
    ]
    r = 3
    for label, value in facts:
        ws.cell(row=r, column=1, value=label).font = _font(size=10, bold=True)
        cell = ws.cell(row=r, column=2, value=value)
        cell.font = _font(size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        r += 1
    r += 1
    for col, text in enumerate(("序号", "部分", "分工", "任务数"), 1):
        cell = ws.cell(row=r, column=col, value=text)
        cell.font = _font(size=10, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
    sections: dict[str, list] = {}
    for row in rows:
        key = f"{row['part']}-{row['section']}"
        if key not in sections:
            sections[key] = [tidy_title(row["part_title"]), row["section_heading"], 0]
        sections[key][2] += 1
    for key, (part_title, heading, count) in sections.items():
        r += 1
        for col, value in enumerate((key, part_title, heading, count), 1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.font = _font(size=10)
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def ledger_workbook(
    document: Document,
    filters: Filters,
    rows: list[dict],
    *,
    scope: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    """The workbook of ``rows`` (from ``ledger_rows``) as .xlsx bytes."""
    generated_at = generated_at or timezone.now()
    columns = ledger_columns(rows)
    header = f"{document_label(document)}　重点工作台账　{filters.period.display}"
    if scope:
        header += f"　{scope}"
    wb = Workbook()
    wb.remove(wb.active)
    by_part: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_part[row["part"]].append(row)
    names = sheet_names(document)
    for part_no in sorted(by_part):
        ws = wb.create_sheet(names.get(part_no, f"第{part_no}部分"))
        _write_table(ws, columns, by_part[part_no], header)
    if not by_part:
        _write_table(wb.create_sheet("台账"), columns, [], header)
    notes = wb.create_sheet("说明")
    _write_notes(notes, document, filters, rows, scope=scope, generated_at=generated_at)
    wb.active = 0
    wb.properties.title = f"{document_label(document)} 重点工作台账 {filters.period.display}"
    wb.properties.creator = "luoshi"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def ledger_filename(document: Document, filters: Filters, scope: str, extension: str) -> str:
    """``浙政办发〔2024〕3号重点工作台账（2024年3月·省财政厅）.xlsx``."""
    inside = filters.period.display + (f"·{scope}" if scope else "")
    return f"{document_label(document)}重点工作台账（{inside}）.{extension}"
