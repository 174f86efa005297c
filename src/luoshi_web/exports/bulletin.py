"""The period's bulletin (督查通报) as a Word document.

``build_bulletin(user, document, period)`` → the bytes of a .docx, for the tasks ``user`` may
see (a leader's bulletin covers their sections, a unit's its own tasks):

* the title ``2024年3月政府工作报告重点工作推进情况通报``, the notice it follows (文号) and the
  date;
* 一、总体情况: tasks in all, by status, by light, and filing for the period — on time, late,
  missing — with the on-time rate (按时报送率 = tasks filed by the deadline ÷ tasks filed or
  overdue). A task counts as filed when a unit report or the lead's consolidation was submitted,
  as ``tracking.lights`` counts it; the deadline is the office's extension when it gave one;
* 二、各牵头领导亮灯情况: a table, one row per leader (the notice's order) and a total;
* 三、逾期未报送单位: a table of the units whose deadline (plus ``grace_days``) has passed with
  neither their own report nor the task's consolidation filed, with the tasks' numbers; a user
  sees a unit there only where they may read that unit's report (``permissions.can_view_report``);
* 四、红灯任务: one paragraph per red task — number, text, leaders, lead unit, the light's reason,
  the period's progress and problems (as in the ledger).

Lights and statuses are the ones stored now (``luoshi-web lights`` refreshes them daily), not
recomputed as of the period. Layout after GB/T 9704 (党政机关公文格式): A4, margins 3.7 / 3.5 /
2.8 / 2.6 cm, the title in 宋体 22 pt, headings in 黑体, text in 仿宋 16 pt, tables in 宋体; each
run sets its East Asian font (``w:eastAsia``) so Word, WPS and LibreOffice pick a Chinese font.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO

import cn2an
from django.utils import timezone
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Document, Task
from luoshi_web.exports.rows import (
    Filters,
    document_label,
    ledger_tasks,
    parse_period,
    task_leaders,
    task_number,
    task_rows,
    tidy_title,
)
from luoshi_web.tracking.lights import rules
from luoshi_web.tracking.models import Consolidation, Period, ProgressReport, ReportState

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT, NOTE_FONT = "宋体", "黑体", "仿宋", "宋体", "楷体"
LATIN_FONT = "Times New Roman"
NO_LEADER = "（未列牵头领导）"


@dataclass
class LeaderLights:
    name: str
    title: str = ""
    tasks: int = 0
    lights: Counter = field(default_factory=Counter)
    done: int = 0


@dataclass
class OverdueUnit:
    name: str
    numbers: list[str] = field(default_factory=list)


@dataclass
class BulletinFacts:
    """What the bulletin says, computed before any of it is written."""

    document: Document
    period: Period
    today: date
    scope: str  # "" (everything), "王浩同志牵头的", "省财政厅承担的"
    rows: list[dict]
    statuses: Counter
    lights: Counter
    kinds: Counter
    on_time: int
    late: int
    missing: int
    pending: int
    deadline_passed: bool
    leaders: list[LeaderLights]
    overdue: list[OverdueUnit]

    @property
    def red_rows(self) -> list[dict]:
        return [row for row in self.rows if row["light"] == Task.RED]

    @property
    def on_time_rate(self) -> float | None:
        expected = self.on_time + self.late + self.missing
        return self.on_time / expected if expected else None


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _filed_on(item) -> date | None:
    """The local date ``item`` (a report or consolidation) was filed; a returned one was filed
    all the same (as in ``tracking.lights``)."""
    if item is None or item.state == ReportState.DRAFT or item.submitted_at is None:
        return None
    return timezone.localdate(item.submitted_at)


def bulletin_facts(user, document: Document, period=None, *, today=None) -> BulletinFacts:
    """The facts of the bulletin of ``document`` for ``period`` (a Period or a label) as ``user``
    may see them, on ``today`` (default: today in TIME_ZONE)."""
    today = today or timezone.localdate()
    period = parse_period(document, period)
    tasks = ledger_tasks(user, document, Filters(period=period))
    rows = task_rows(user, document, tasks, period)
    ids = [t.pk for t in tasks]
    consolidations = {
        c.task_id: c for c in Consolidation.objects.filter(period=period, task_id__in=ids)
    }
    reports: dict[int, dict[int, ProgressReport]] = defaultdict(dict)
    for report in ProgressReport.objects.filter(period=period, task_id__in=ids):
        reports[report.task_id][report.unit_id] = report
    grace = timedelta(days=rules()["grace_days"])

    on_time = late = missing = pending = 0
    deadline_passed = False
    overdue: dict[int, OverdueUnit] = {}
    leaders: dict[object, LeaderLights] = {}
    for task in tasks:
        consolidation = consolidations.get(task.pk)
        deadline = (consolidation.extended_deadline if consolidation else None) or period.deadline
        due = deadline + grace < today
        deadline_passed = deadline_passed or due
        filed = [
            d
            for d in [_filed_on(consolidation), *map(_filed_on, reports[task.pk].values())]
            if d is not None
        ]
        if filed:
            if min(filed) <= deadline:
                on_time += 1
            else:
                late += 1
        elif due:
            missing += 1
        else:
            pending += 1
        if due and _filed_on(consolidation) is None:
            seen = set()
            for assignment in task.assignments.all():
                unit = assignment.unit
                if unit is None or unit.pk in seen:
                    continue
                seen.add(unit.pk)
                if _filed_on(reports[task.pk].get(unit.pk)) is not None:
                    continue
                # whether a unit filed is its report's business: show it to whoever may read it
                if not permissions.can_view_report(user, ProgressReport(task=task, unit=unit)):
                    continue
                entry = overdue.setdefault(unit.pk, OverdueUnit(unit.name))
                entry.numbers.append(task_number(task))
        for leader in task_leaders(task) or [None]:
            key = leader.pk if leader else None
            entry = leaders.get(key)
            if entry is None:
                entry = leaders[key] = LeaderLights(
                    leader.name if leader else NO_LEADER, leader.title if leader else ""
                )
            entry.tasks += 1
            entry.lights[task.light] += 1
            entry.done += task.status == Task.DONE

    unit = permissions.unit_of(user)
    leader = permissions.leader_of(user)
    scope = f"{unit.name}承担的" if unit else f"{leader.name}同志牵头的" if leader else ""
    return BulletinFacts(
        document=document,
        period=period,
        today=today,
        scope=scope,
        rows=rows,
        statuses=Counter(t.status for t in tasks),
        lights=Counter(t.light for t in tasks),
        kinds=Counter(t.section.part.kind for t in tasks),
        on_time=on_time,
        late=late,
        missing=missing,
        pending=pending,
        deadline_passed=deadline_passed,
        leaders=list(leaders.values()),
        overdue=sorted(overdue.values(), key=lambda u: (-len(u.numbers), u.name)),
    )


def build_bulletin(user, document: Document, period=None, *, today=None) -> bytes:
    """The .docx bytes of the bulletin (see the module docstring); ``period`` a Period or a
    label (``2024-03``), None for ``rows.default_period``; raises ``rows.FilterError`` for a
    period the document does not have."""
    return render_bulletin(bulletin_facts(user, document, period, today=today))


def bulletin_title(period: Period) -> str:
    return f"{period.display}政府工作报告重点工作推进情况通报"


def bulletin_filename(document: Document, period: Period, scope: str = "") -> str:
    """``2024年3月政府工作报告重点工作推进情况通报（浙政办发〔2024〕3号）.docx``."""
    inside = document_label(document) + (f"·{scope}" if scope else "")
    return f"{bulletin_title(period)}（{inside}）.docx"


# -- writing ----------------------------------------------------------------------------------
def _fonts(run, east_asia: str, size: float, *, bold: bool = False, color=None) -> None:
    """Set a run's Latin and East Asian fonts (python-docx sets only the Latin ones)."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_fonts(style, east_asia: str, size: float, *, bold: bool = False) -> None:
    """A style's fonts, theme fonts removed (they would win over the names)."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{name}"), None)
    fonts.set(qn("w:eastAsia"), east_asia)


def _spacing(paragraph, *, first_line: bool = True, size: float = 16) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if first_line:
        fmt.first_line_indent = Pt(size * 2)


def _text(doc, parts, *, first_line: bool = True):
    """A body paragraph; ``parts`` a string or a list of (text, bold) pairs."""
    paragraph = doc.add_paragraph()
    _spacing(paragraph, first_line=first_line)
    if isinstance(parts, str):
        parts = [(parts, False)]
    for text, bold in parts:
        _fonts(paragraph.add_run(text), BODY_FONT, 16, bold=bold)
    return paragraph


def _heading(doc, text: str):
    paragraph = doc.add_paragraph(style="Heading 1")
    _spacing(paragraph)
    paragraph.paragraph_format.keep_with_next = True
    _fonts(paragraph.add_run(text), HEADING_FONT, 16, color=RGBColor(0, 0, 0))
    return paragraph


def _cell(cell, text: str, *, bold: bool = False, center: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    _fonts(paragraph.add_run(text), TABLE_FONT, 12, bold=bold)


def _table(doc, header: list[str], body: list[list[str]], widths: list[float], left=()):
    """A grid table, the header row bold and repeated; columns in ``left`` left-aligned."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    row = table.rows[0]
    # the header row repeats on every page the table runs over
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(row.cells, header, strict=True):
        _cell(cell, text, bold=True)
    for values in body:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, center=i not in left)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:  # the cells, which Word reads
            cell.width = Cm(width)
    return table


def _page_number(section) -> None:
    """``— 1 —`` centred in the footer, as official documents number their pages."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), TABLE_FONT, 14)
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _fonts(run, TABLE_FONT, 14)
    field_.append(run._element)
    paragraph._p.append(field_)
    _fonts(paragraph.add_run(" —"), TABLE_FONT, 14)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".0%", "%")


def _summary(facts: BulletinFacts) -> list[str]:
    s = facts.statuses
    lights = facts.lights
    total = len(facts.rows)
    scope = facts.scope or ""
    kinds = ""
    if facts.kinds.get("key_tasks") and facts.kinds.get("livelihood"):
        kinds = (
            f"（其中重点工作{facts.kinds['key_tasks']}项、民生实事{facts.kinds['livelihood']}项）"
        )
    first = (
        f"截至{zh_date(facts.today)}，{scope}政府工作报告重点工作共{total}项{kinds}。"
        f"从推进状态看，已完成{s[Task.DONE]}项，推进中{s[Task.IN_PROGRESS]}项，"
        f"滞后{s[Task.BEHIND]}项，未启动{s[Task.NOT_STARTED]}项。"
        f"从亮灯情况看，红灯{lights[Task.RED]}项，黄灯{lights[Task.YELLOW]}项，"
        f"绿灯{lights[Task.GREEN]}项。"
    )
    period = facts.period
    second = f"{period.display}进展应于{zh_date(period.deadline)}前报送。"
    if facts.deadline_passed:
        second += (
            f"按时报送{facts.on_time}项，逾期报送{facts.late}项，逾期未报送{facts.missing}项，"
            f"按时报送率{_percent(facts.on_time_rate)}。"
        )
    else:
        second += f"报送期限未到，目前已按时报送{facts.on_time}项，尚未报送{facts.pending}项。"
    if facts.pending and facts.deadline_passed:
        second += f"另有{facts.pending}项经批准延期，尚未到期。"
    return [first, second]


def render_bulletin(facts: BulletinFacts) -> bytes:
    """The .docx bytes of ``facts``."""
    doc = WordDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _style_fonts(doc.styles["Normal"], BODY_FONT, 16)
    _style_fonts(doc.styles["Heading 1"], HEADING_FONT, 16)
    _page_number(section)
    title = bulletin_title(facts.period)
    doc.core_properties.title = title
    doc.core_properties.author = "luoshi"

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    _fonts(paragraph.add_run(title), TITLE_FONT, 22, bold=True)

    document = facts.document
    reference = f"依据：《{tidy_title(document.title) or document_label(document)}》"
    if document.doc_number:
        reference += f"（{document.doc_number}）"
    for text in (reference, f"督查室　{zh_date(facts.today)}"):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, first_line=False)
        _fonts(paragraph.add_run(text), NOTE_FONT, 16)
    doc.add_paragraph()

    _heading(doc, "一、总体情况")
    for text in _summary(facts):
        _text(doc, text)

    _heading(doc, "二、各牵头领导亮灯情况")
    body = []
    totals = Counter()
    for leader in facts.leaders:
        lights = leader.lights
        body.append(
            [
                f"{leader.name}{'（' + leader.title + '）' if leader.title else ''}",
                str(leader.tasks),
                str(lights[Task.RED]),
                str(lights[Task.YELLOW]),
                str(lights[Task.GREEN]),
                str(leader.done),
            ]
        )
    for light in (Task.RED, Task.YELLOW, Task.GREEN):
        totals[light] = facts.lights[light]
    body.append(
        [
            "合计",
            str(len(facts.rows)),
            str(totals[Task.RED]),
            str(totals[Task.YELLOW]),
            str(totals[Task.GREEN]),
            str(facts.statuses[Task.DONE]),
        ]
    )
    _table(
        doc,
        ["牵头领导", "任务数", "红灯", "黄灯", "绿灯", "已完成"],
        body,
        [5.5, 2.0, 2.0, 2.0, 2.0, 2.0],
        left={0},
    )
    if sum(leader.tasks for leader in facts.leaders) > len(facts.rows):
        _text(doc, "注：一项任务由多位领导牵头的，分别计入各位领导；合计按任务计。")

    _heading(doc, "三、逾期未报送单位")
    if not facts.deadline_passed:
        _text(doc, f"{facts.period.display}进展报送期限未到（{zh_date(facts.period.deadline)}）。")
    elif not facts.overdue:
        _text(doc, "无。各单位均已按期报送。")
    else:
        count = sum(len(u.numbers) for u in facts.overdue)
        _text(
            doc,
            f"截至{zh_date(facts.today)}，以下{len(facts.overdue)}个单位共{count}项任务"
            f"{facts.period.display}进展逾期未报送：",
        )
        _table(
            doc,
            ["序号", "单位", "逾期未报送任务", "项数"],
            [
                [str(i), unit.name, "、".join(unit.numbers), str(len(unit.numbers))]
                for i, unit in enumerate(facts.overdue, 1)
            ],
            [1.4, 5.2, 7.4, 1.6],
            left={1, 2},
        )

    _heading(doc, "四、红灯任务")
    red = facts.red_rows
    if not red:
        _text(doc, "本期无红灯任务。")
    for i, row in enumerate(red, 1):
        parts = [(f"（{cn2an.an2cn(i)}）{row['number']} ", True), (row["task"], False)]
        details = [
            f"牵头领导：{row['leaders'] or '—'}",
            f"牵头单位：{row['lead_units'] or '—'}",
            f"亮灯原因：{row['light_reason'] or '—'}",
        ]
        if row["progress"]:
            details.append(f"本期进展：{row['progress']}")
        else:
            details.append("本期进展：未报送")
        if row["problems"]:
            details.append(f"存在问题：{row['problems']}")
        text = "；".join(d.replace("\n", "；") for d in details)
        parts.append((f"（{text}。）", False))
        _text(doc, parts)

    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
