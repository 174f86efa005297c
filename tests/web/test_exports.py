"""The exports as files: the ledger (xlsx, CSV, JSON) and the bulletin (docx), read back with
openpyxl, the csv module, json and python-docx.

March 2024, looked at on 2024-04-10 (``march``): task 1-1-3 (专项债券; lead 省财政厅,
participant 省发展改革委) filed by both on time, consolidated at 30% and accepted — green;
task 1-2-1 (生产总值, 省发展改革委 alone) filed on 8 April, after the deadline — yellow; every
other task filed nothing — red.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import types
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from luoshi_web.accounts import permissions
from luoshi_web.accounts.actions import create_user
from luoshi_web.documents.models import Target, Task, Unit
from luoshi_web.exports import rows as rows_module
from luoshi_web.exports.bulletin import build_bulletin, bulletin_facts
from luoshi_web.exports.ledger import build_ledger
from luoshi_web.exports.rows import COLUMNS, FilterError, ledger_rows
from luoshi_web.exports.tabular import ledger_csv, ledger_json
from luoshi_web.tracking import actions
from luoshi_web.tracking.lights import refresh_document
from luoshi_web.tracking.models import Review

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = [
    "序号",
    "重点工作",
    "牵头领导",
    "牵头单位",
    "责任单位",
    "量化指标",
    "完成时限",
    "本期进展",
    "完成率",
    "亮灯",
    "存在问题",
    "下步打算",
]
TODAY = date(2024, 4, 10)
REAL_VERDICTS_OF = rows_module.verdicts_of


@pytest.fixture(autouse=True)
def _no_verdicts(monkeypatch):
    """No 年终评估 column unless a test gives verdicts (the supervision app may or may not be
    there)."""
    monkeypatch.setattr(rows_module, "verdicts_of", lambda document: None)


def _filed_on(obj, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    type(obj).objects.filter(pk=obj.pk).update(submitted_at=moment)


@pytest.fixture
def march(people, document, task, other_task, period):
    """See the module docstring."""
    ReportData = actions.ReportData
    for who in (people.lead_unit, people.participant):
        report = actions.file_report(
            who, task, period, ReportData(f"{who.username}三月进展", 30), submit=True
        )
        _filed_on(report, date(2024, 4, 3))
    consolidation = actions.consolidate(
        people.lead_unit,
        task,
        period,
        ReportData(
            "三月汇总：已申报专项债券。", 30, problems="项目储备不足", next_steps="加快发行"
        ),
        submit=True,
    )
    _filed_on(consolidation, date(2024, 4, 4))
    actions.review(people.office, consolidation, Review.ACCEPT)
    late = actions.file_report(
        people.participant, other_task, period, ReportData("生产总值稳步增长", 20), submit=True
    )
    _filed_on(late, date(2024, 4, 8))
    refresh_document(document, today=TODAY)
    task.refresh_from_db()
    other_task.refresh_from_db()
    assert (task.light, other_task.light) == (Task.GREEN, Task.YELLOW)
    return SimpleNamespace(task=task, other_task=other_task, period=period)


def sheets(content: bytes) -> dict[str, list[list]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def table_rows(content: bytes) -> list[list]:
    """The task rows of every table sheet (not 说明), headers left out, in order."""
    out = []
    for title, values in sheets(content).items():
        if title != "说明":
            assert values[0][: len(HEADERS)] == HEADERS
            out.extend(values[1:])
    return out


def idle_unit_user(document):
    """A user of a unit on no task of the 2024 notice."""
    unit = Unit.objects.create(registry_id="zj-idle", name="省闲置厅")
    return create_user("idle", "pw-long-enough-123", "unit", unit=unit)


# -- the ledger's rows ----------------------------------------------------------------------------
def test_the_office_ledger_has_every_task_of_the_notice_in_its_order(people, document):
    rows = ledger_rows(people.office, document, period="2024-03")
    assert len(rows) == Task.objects.filter(section__part__document=document).count() == 126
    assert [r["number"] for r in rows[:3]] == ["1-1-1", "1-1-2", "1-1-3"]
    assert rows[-1]["part"] == 2 and rows[-1]["part_kind"] == "livelihood"
    third = rows[2]
    assert third["task"].startswith("积极争取并高效用好地方政府专项债券")
    assert third["leaders"] == "王浩"
    assert third["lead_units"] == "省财政厅"
    assert third["units"] == "省财政厅、省发展改革委"
    assert third["deadline"] == "2024年底前"
    livelihood = [r for r in rows if r["part_kind"] == "livelihood"]
    assert livelihood[0]["number"] == "2-1-1" and livelihood[0]["leaders"] == "李岩益"


def test_a_units_ledger_holds_only_the_tasks_its_unit_is_on(people, document):
    for who, name in ((people.lead_unit, "省财政厅"), (people.participant, "省发展改革委")):
        rows = ledger_rows(who, document, period="2024-03")
        visible = permissions.visible_tasks(who).filter(section__part__document=document)
        assert {r["task_id"] for r in rows} == set(visible.values_list("pk", flat=True))
        assert rows and all(name in r["units"] for r in rows)


def test_a_leaders_ledger_holds_only_their_sections(people, document):
    rows = ledger_rows(people.leader, document, period="2024-03")
    assert [r["number"] for r in rows] == ["1-1-1", "1-1-2", "1-1-3", "1-1-4", "1-1-5"]
    assert {r["leaders"] for r in rows} == {"王浩"}


def test_a_unit_on_no_task_of_the_notice_gets_an_empty_ledger(document):
    idle = idle_unit_user(document)
    assert ledger_rows(idle, document, period="2024-03") == []
    values = sheets(build_ledger(idle, document, period="2024-03"))
    assert list(values) == ["台账", "说明"]
    assert values["台账"] == [HEADERS]


def test_the_filters_narrow_the_ledger_within_what_the_user_sees(people, document):
    office = people.office
    by_leader = ledger_rows(office, document, leader="王浩", period="2024-03")
    assert [r["number"] for r in by_leader][:1] == ["1-1-1"] and len(by_leader) == 5
    by_unit = ledger_rows(office, document, unit="zj-finance", period="2024-03")
    assert by_unit == ledger_rows(people.lead_unit, document, period="2024-03")
    assert ledger_rows(office, document, unit="省财政厅", period="2024-03") == by_unit
    both = ledger_rows(office, document, leader="王浩", unit="省财政厅", period="2024-03")
    assert {r["number"] for r in both} <= {r["number"] for r in by_leader}
    assert all("省财政厅" in r["units"] for r in both)
    # 卢山 is how the notice also writes 庐山
    assert ledger_rows(office, document, leader="卢山", period="2024-03") == ledger_rows(
        office, document, leader="庐山", period="2024-03"
    )
    # another leader's filter leaves 徐文光 nothing of 王浩's
    assert ledger_rows(people.other_leader, document, leader="王浩", period="2024-03") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"leader": "无名氏"}, "没有领导"),
        ({"unit": "zj-nowhere"}, "没有单位"),
        ({"period": "2024-13"}, "没有报送期"),
        ({"period": "2025-03"}, "没有报送期"),
    ],
)
def test_a_filter_that_names_nothing_is_refused(people, document, kwargs, message):
    with pytest.raises(FilterError) as caught:
        ledger_rows(people.office, document, **kwargs)
    assert message in caught.value.message


def test_the_period_defaults_to_the_latest_one_that_has_ended(people, document):
    rows = ledger_rows(people.office, document)
    assert {r["period"] for r in rows} == {"2024-12"}  # the year is over


def test_progress_is_the_accepted_consolidation_of_the_period(people, document, march):
    row = next(
        r for r in ledger_rows(people.office, document, period="2024-03") if r["number"] == "1-1-3"
    )
    assert row["progress"] == "三月汇总：已申报专项债券。"
    assert (row["percent"], row["problems"], row["next_steps"]) == (30, "项目储备不足", "加快发行")
    assert (row["progress_source"], row["progress_state"]) == ("consolidation", "accepted")
    april = ledger_rows(people.office, document, period="2024-04")
    assert next(r for r in april if r["number"] == "1-1-3")["progress"] == ""


def test_a_returned_consolidation_still_shows_what_was_filed_until_filed_again(
    people, document, task, period, data
):
    lead = people.lead_unit
    first = actions.consolidate(lead, task, period, data(narrative="第一版"), submit=True)
    actions.review(people.office, first, Review.RETURN, "请补充数据")
    actions.consolidate(lead, task, period, data(narrative="修改中的草稿"))

    def progress():
        rows = ledger_rows(people.office, document, period="2024-03")
        row = next(r for r in rows if r["task_id"] == task.pk)
        return row["progress"], row["progress_state"]

    assert progress() == ("第一版", "submitted")
    second = actions.consolidate(lead, task, period, data(narrative="第二版"), submit=True)
    assert progress() == ("第二版", "submitted")
    actions.review(people.office, second, Review.ACCEPT)
    assert progress() == ("第二版", "accepted")


def test_without_a_consolidation_the_filed_reports_show_as_the_user_may_read_them(
    people, document, task, period, data
):
    actions.file_report(people.lead_unit, task, period, data(narrative="财政厅进展"), submit=True)
    actions.file_report(people.participant, task, period, data(narrative="草稿"))

    def row_for(user):
        return next(
            r for r in ledger_rows(user, document, period="2024-03") if r["task_id"] == task.pk
        )

    assert row_for(people.office)["progress"] == "财政厅进展"  # a draft is not filed
    actions.file_report(
        people.participant, task, period, data(narrative="发改委进展", percent=40), submit=True
    )
    office = row_for(people.office)
    assert office["progress"] == "【省发展改革委】发改委进展\n【省财政厅】财政厅进展"
    assert (office["percent"], office["progress_source"]) == (40, "reports")
    # the participant reads only its own report; the lead reads its partner's too
    assert row_for(people.participant)["progress"] == "发改委进展"
    assert "发改委进展" in row_for(people.lead_unit)["progress"]


# -- the workbook ----------------------------------------------------------------------------------
def test_the_workbook_has_a_sheet_per_part_with_the_offices_columns(people, document, march):
    content = build_ledger(people.office, document, period="2024-03")
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["重点工作", "民生实事", "说明"]
    assert wb.active.title == "重点工作"
    ws = wb["重点工作"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 1 + 102 and wb["民生实事"].max_row == 1 + 24
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L103"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["B2"].font.name == "宋体" and ws["B2"].alignment.wrap_text
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1-1-3")
    assert row[8].value == pytest.approx(0.3) and row[8].number_format == "0%"
    assert row[7].value == "三月汇总：已申报专项债券。"
    notes = [c for r in wb["说明"].iter_rows(values_only=True) for c in r if c]
    assert "浙政办发〔2024〕3号" in notes and any("2024年3月" in str(c) for c in notes)


def test_the_lights_are_words_on_coloured_cells(people, document, march):
    ws = load_workbook(io.BytesIO(build_ledger(people.office, document, period="2024-03")))[
        "重点工作"
    ]
    colours = {}
    for row in ws.iter_rows(min_row=2):
        light = row[9]
        colours[light.value] = light.fill.fgColor.rgb[-6:]
    assert colours == {"红": "FF0000", "黄": "FFFF00", "绿": "00B050"}


def test_a_narrative_that_looks_like_a_formula_stays_text(people, document, task, period, data):
    evil = '=HYPERLINK("http://example.invalid","点击")'
    actions.file_report(people.lead_unit, task, period, data(narrative=evil), submit=True)
    ws = load_workbook(io.BytesIO(build_ledger(people.office, document, period="2024-03")))[
        "重点工作"
    ]
    cell = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1-1-3")[7]
    assert cell.value == evil and cell.data_type == "s"
    text = ledger_csv(people.office, document, period="2024-03").decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "1-1-3")
    assert row[7] == "'" + evil


def test_control_characters_in_a_narrative_do_not_break_the_files(
    people, document, task, period, data
):
    actions.file_report(
        people.lead_unit, task, period, data(narrative="第一行\r\n第二行\x07"), submit=True
    )
    row = next(
        r for r in ledger_rows(people.office, document, period="2024-03") if r["task_id"] == task.pk
    )
    assert row["progress"] == "第一行\n第二行"
    build_ledger(people.office, document, period="2024-03")
    build_bulletin(people.office, document, "2024-03", today=TODAY)


def test_year_end_verdicts_add_a_column_when_the_supervision_app_gives_them(
    people, document, monkeypatch
):
    target = Target.objects.filter(task__section__part__document=document).first()
    verdict = SimpleNamespace(verdict="met", why="报告：增长 5.6%")
    monkeypatch.setattr(rows_module, "verdicts_of", lambda d: {target.pk: verdict})
    content = build_ledger(people.office, document, period="2024-03")
    ws = load_workbook(io.BytesIO(content))["重点工作"]
    assert [c.value for c in ws[1]] == [*HEADERS, "年终评估"]
    cells = [r[12] for r in ws.iter_rows(min_row=2, values_only=True) if r[12]]
    assert cells == [f"{target.text}：完成（报告：增长 5.6%）"]
    assert ws.auto_filter.ref.startswith("A1:M")


def test_the_verdicts_come_from_the_supervision_app_only_when_it_gives_them(document, monkeypatch):
    assert REAL_VERDICTS_OF(document) is None  # no year-end report uploaded
    for name in rows_module.SUPERVISION_MODULES:
        monkeypatch.setitem(sys.modules, name, None)  # as if not there
    assert REAL_VERDICTS_OF(document) is None
    module = types.ModuleType("luoshi_web.supervision.yearend")
    module.verdicts_for = lambda d: {1: SimpleNamespace(verdict="unknown", why="")}
    monkeypatch.setitem(sys.modules, "luoshi_web.supervision.yearend", module)
    assert list(REAL_VERDICTS_OF(document)) == [1]
    module.verdicts_for = lambda d: {}
    assert REAL_VERDICTS_OF(document) is None


# -- CSV and JSON --------------------------------------------------------------------------------
def _as_csv_cell(value, column: int) -> str:
    if value is None:
        return ""
    if column == 8:  # 完成率
        return f"{round(value * 100)}%"
    return str(value)


def test_the_csv_has_a_bom_and_the_same_rows_as_the_workbook(people, document, march):
    content = ledger_csv(people.office, document, period="2024-03")
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content
    parsed = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert parsed[0] == HEADERS
    workbook = table_rows(build_ledger(people.office, document, period="2024-03"))
    assert parsed[1:] == [[_as_csv_cell(v, i) for i, v in enumerate(r)] for r in workbook]
    row = next(r for r in parsed if r[0] == "1-1-3")
    assert row[1].startswith("积极争取并高效用好地方政府专项债券")
    assert (row[8], row[9]) == ("30%", "绿")


def test_the_json_has_the_same_rows_with_the_chinese_unescaped(people, document, march):
    content = ledger_json(people.lead_unit, document, period="2024-03")
    assert "省财政厅".encode() in content
    payload = json.loads(content)
    assert payload["document"]["doc_number"] == "浙政办发〔2024〕3号"
    assert payload["period"] == {
        "label": "2024-03",
        "display": "2024年3月",
        "deadline": "2024-04-05",
    }
    assert [c["header"] for c in payload["columns"]] == HEADERS
    assert [c["key"] for c in payload["columns"]] == [c.key for c in COLUMNS]
    assert payload["rows"] == ledger_rows(people.lead_unit, document, period="2024-03")
    workbook = table_rows(build_ledger(people.lead_unit, document, period="2024-03"))
    assert [r["number"] for r in payload["rows"]] == [r[0] for r in workbook]
    row = next(r for r in payload["rows"] if r["number"] == "1-1-3")
    assert (row["light"], row["percent"]) == ("green", 30)


# -- the bulletin ----------------------------------------------------------------------------------
def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def table_with(doc, header: list[str]) -> list[list[str]]:
    for table in doc.tables:
        values = [[c.text for c in row.cells] for row in table.rows]
        if values[0] == header:
            return values[1:]
    raise AssertionError(f"no table with {header}")


LEADER_HEADER = ["牵头领导", "任务数", "红灯", "黄灯", "绿灯", "已完成"]
OVERDUE_HEADER = ["序号", "单位", "逾期未报送任务", "项数"]


def test_the_bulletin_has_title_summary_leaders_overdue_units_and_red_tasks(
    people, document, march
):
    content = build_bulletin(people.office, document, "2024-03", today=TODAY)
    doc = WordDocument(io.BytesIO(content))
    text = paragraphs(doc)
    assert text[0] == "2024年3月政府工作报告重点工作推进情况通报"
    assert any("浙政办发〔2024〕3号" in t for t in text)
    for heading in ("一、总体情况", "二、各牵头领导亮灯情况", "三、逾期未报送单位", "四、红灯任务"):
        assert heading in text
    summary = next(t for t in text if t.startswith("截至2024年4月10日"))
    assert "共126项" in summary and "红灯124项，黄灯1项，绿灯1项" in summary
    filing = next(t for t in text if t.startswith("2024年3月进展应于2024年4月5日前报送"))
    assert "按时报送1项，逾期报送1项，逾期未报送124项，按时报送率0.8%" in filing

    leaders = table_with(doc, LEADER_HEADER)
    assert leaders[0] == ["王浩（省长）", "5", "4", "0", "1", "0"]
    assert leaders[1][:4] == ["徐文光（常务副省长）", "32", "31", "1"]
    assert leaders[-1][:5] == ["合计", "126", "124", "1", "1"]

    overdue = {row[1]: row[2].split("、") for row in table_with(doc, OVERDUE_HEADER)}
    assert "1-1-1" in overdue["省财政厅"] and "1-1-3" not in overdue["省财政厅"]
    assert "1-1-3" not in overdue["省发展改革委"] and "1-2-1" not in overdue["省发展改革委"]

    start = text.index("四、红灯任务")
    red = [t for t in text[start + 1 :] if t.startswith("（")]
    assert len(red) == 124 == Task.objects.filter(light=Task.RED).count()
    assert red[0].startswith("（一）1-1-1 一般公共预算收入与经济增长同步。")
    assert "牵头单位：省财政厅" in red[0] and "亮灯原因：3月进展逾期未报送" in red[0]
    assert red[10].startswith("（十一）")


def test_the_bulletin_sets_chinese_fonts_on_its_runs_and_official_margins(people, document, march):
    from docx.oxml.ns import qn

    doc = WordDocument(io.BytesIO(build_bulletin(people.office, document, "2024-03", today=TODAY)))
    section = doc.sections[0]
    assert round(section.top_margin.cm, 2) == 3.7 and round(section.left_margin.cm, 2) == 2.8
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) in {"宋体", "黑体", "仿宋", "楷体"}
    assert runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"  # the title


def test_a_leaders_bulletin_covers_their_sections(people, document, march):
    facts = bulletin_facts(people.leader, document, "2024-03", today=TODAY)
    assert facts.scope == "王浩同志牵头的"
    assert len(facts.rows) == 5
    assert [leader.name for leader in facts.leaders] == ["王浩"]
    doc = WordDocument(io.BytesIO(build_bulletin(people.leader, document, "2024-03", today=TODAY)))
    assert any(t.startswith("截至2024年4月10日，王浩同志牵头的") for t in paragraphs(doc))


def test_a_unit_sees_overdue_partners_only_on_the_tasks_it_leads(people, document, march):
    for who, own in ((people.participant, "省发展改革委"), (people.outsider, "省商务厅")):
        facts = bulletin_facts(who, document, "2024-03", today=TODAY)
        numbers = {r["number"]: r["task_id"] for r in facts.rows}
        assert facts.overdue
        for unit in facts.overdue:
            if unit.name == own:
                continue
            for number in unit.numbers:
                task = Task.objects.get(pk=numbers[number])
                assert permissions.role_on_task(who, task) == "lead", (own, unit.name, number)


def test_before_the_deadline_nobody_is_overdue(people, document):
    facts = bulletin_facts(people.office, document, "2024-03", today=date(2024, 4, 2))
    assert not facts.deadline_passed and facts.overdue == []
    doc = WordDocument(
        io.BytesIO(build_bulletin(people.office, document, "2024-03", today=date(2024, 4, 2)))
    )
    assert any("报送期限未到" in t for t in paragraphs(doc))


def test_an_extension_keeps_a_task_off_the_overdue_list(people, document, task, period):
    actions.grant_extension(people.office, task, period, date(2024, 4, 20), "系统故障")
    facts = bulletin_facts(people.office, document, "2024-03", today=TODAY)
    assert all("1-1-3" not in unit.numbers for unit in facts.overdue)
    assert facts.pending == 1


def test_a_bulletin_of_a_period_the_document_lacks_is_refused(people, document):
    with pytest.raises(FilterError):
        build_bulletin(people.office, document, "2023-03")


def test_the_bulletin_counts_the_stored_lights(people, document, task):
    """The lights the bulletin counts are the stored ones (``luoshi-web lights``)."""
    Task.objects.filter(pk=task.pk).update(light=Task.YELLOW)
    facts = bulletin_facts(people.office, document, "2024-03", today=TODAY)
    assert facts.lights[Task.YELLOW] == 1
    assert facts.lights[Task.RED] == 125
