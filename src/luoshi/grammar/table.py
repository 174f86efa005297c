"""Notices laid out as a table: ``序号 | 重点工作 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限``.

Rows come from DOCX and HTML tables (``Line.cells``) or from text that flattened a table:
`` | `` or tab separated, or Markdown (``| a | b |`` with a ``|---|`` line). The header row names
the columns; each later row is a task; a row with one value (``一、稳增长``, merged across the
table) is a section or part heading. Under a 牵头单位 column the units lead and the 责任单位 /
配合单位 column's units participate; with only a 责任单位 column the first listed leads.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from luoshi.grammar.lines import classify
from luoshi.model import Line

if TYPE_CHECKING:  # pragma: no cover
    from luoshi.grammar.notice import Assembler

COLUMNS = {
    "number": ("序号", "编号", "序"),
    "text": (
        "重点工作", "工作任务", "主要任务", "任务内容", "工作内容", "重点任务", "具体任务",
        "目标任务", "工作事项", "民生实事", "实事项目", "项目名称", "项目内容", "工作目标",
    ),
    "leaders": ("牵头领导", "牵头市领导", "牵头省领导", "责任领导", "分管领导", "牵头负责领导", "联系领导"),
    "lead": ("牵头单位", "牵头责任单位", "主要责任单位", "牵头部门"),
    "units": ("责任单位", "配合单位", "协同责任单位", "协同单位", "参与单位", "配合部门", "责任部门", "协办单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "办结时限", "时限要求"),
}  # fmt: skip
MARKDOWN_RULE_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


@dataclass
class TableState:
    columns: dict[str, int] = field(default_factory=dict)
    width: int = 0
    livelihood: bool = False


def looks_like_row(s: str) -> bool:
    return s.count("|") >= 2 or s.count("\t") >= 2


def split_row(line: Line, s: str) -> list[str] | None:
    if line.cells is not None:
        return [c.strip() for c in line.cells]
    if s.count("|") >= 2:
        inner = s.strip()
        if inner.startswith("|"):
            inner = inner[1:]
        if inner.endswith("|"):
            inner = inner[:-1]
        return [c.strip() for c in inner.split("|")]
    raw = line.text.strip("\r\n")
    if raw.count("\t") >= 2:
        return [c.strip() for c in raw.split("\t")]
    return None


def header_columns(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = re.sub(r"\s+", "", cell)
        for name, aliases in COLUMNS.items():
            if key in aliases and name not in found:
                found[name] = i
    if "text" in found and ("lead" in found or "units" in found):
        return found
    return None


def feed(asm: Assembler, line: Line, s: str) -> bool:
    """Take ``line`` if it belongs to a table; False hands it back to the line rules."""
    if MARKDOWN_RULE_RE.match(s) and asm.table is not None:
        return True
    cells = split_row(line, s)
    if cells is None:
        if not s and asm.table is not None:
            return True  # blank lines between rows
        asm.table = None
        return False
    cols = header_columns(cells)
    if cols is not None:
        if asm.table is None or asm.table.columns != cols:
            asm.close_task()
            if asm.part is None or asm.state != "body":
                asm.new_part(None, None)
            text_head = cells[cols["text"]]
            asm.table = TableState(cols, len(cells), livelihood="实事" in text_head)
            if asm.table.livelihood and asm.part is not None:
                asm.part.kind = "livelihood"
        return True
    if asm.table is None:
        return False
    values = [c for c in cells if c]
    if not values:
        return True
    if len(set(values)) == 1:
        # a merged row: a heading inside the table
        tok = classify(values[0])
        if tok.kind in ("part", "section"):
            asm.place(tok, line.number)
            return True
    _task_row(asm, asm.table, cells, line.number)
    return True


def _cell(cells: list[str], cols: dict[str, int], key: str) -> str:
    i = cols.get(key)
    if i is None or i >= len(cells):
        return ""
    return cells[i].strip()


def _task_row(asm: Assembler, table: TableState, cells: list[str], number: int) -> None:
    from luoshi.grammar.notice import _Frag, split_names

    cols = table.columns
    raw_number = _cell(cells, cols, "number")
    m = re.fullmatch(r"[（(]?(\d{1,3})[)）.．、]?", raw_number)
    task_number = int(m.group(1)) if m else None
    text = _cell(cells, cols, "text")
    task = asm.new_task(task_number, number)
    task.text.append(_Frag(text.replace("\n", ""), number))
    leaders = _cell(cells, cols, "leaders")
    if leaders:
        task.leaders.extend(split_names(leaders))
    lead = _cell(cells, cols, "lead")
    units = _cell(cells, cols, "units")
    if lead:
        task.clauses.append(["lead", [_Frag(_units_cell(lead), number)], number])
    if units:
        label = "partner" if "lead" in cols else "duty"
        task.clauses.append([label, [_Frag(_units_cell(units), number)], number])
    deadline = _cell(cells, cols, "deadline")
    if deadline:
        task.deadline_text = deadline
    asm.close_task()


def _units_cell(cell: str) -> str:
    # a Word cell often lists one unit per paragraph
    return "、".join(x.strip() for x in cell.splitlines() if x.strip())


_DEADLINE_RE = re.compile(
    r"(?:(?P<year>\d{4})\s*年)?\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日|(?P<end>底|末))?"
    r"|(?P<yearend>底|末)|(?P<half>上半年|下半年)|(?P<quarter>[一二三四1-4])\s*季度\s*(?:末|底)?)"
)


def deadlines_of(text: str | None, year: int | None) -> tuple[str, ...]:
    """ISO dates in a deadline cell: ``2025年6月底前`` → ``("2025-06-30",)``; ``年底前`` with the
    notice's year 2025 → ``("2025-12-31",)``; ``持续推进`` → ``()``."""
    if not text:
        return ()
    out: list[str] = []
    for m in _DEADLINE_RE.finditer(text):
        y = int(m.group("year")) if m.group("year") else year
        if y is None:
            continue
        if m.group("month"):
            mo = int(m.group("month"))
            if not 1 <= mo <= 12:
                continue
            last = calendar.monthrange(y, mo)[1]
            day = int(m.group("day")) if m.group("day") else last
            if not 1 <= day <= last:
                continue
            out.append(f"{y:04d}-{mo:02d}-{day:02d}")
        elif m.group("yearend") and (m.group("year") or text.lstrip().startswith(("年底", "年末"))):
            out.append(f"{y:04d}-12-31")
        elif m.group("half"):
            out.append(f"{y:04d}-06-30" if m.group("half") == "上半年" else f"{y:04d}-12-31")
        elif m.group("quarter"):
            q = "一二三四".find(m.group("quarter")) + 1 or int(m.group("quarter"))
            mo = q * 3
            out.append(f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}")
    return tuple(dict.fromkeys(out))
