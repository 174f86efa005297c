"""The same notice, published another way, gives the same tasks and units.

Each seed notice is turned into a PDF (reportlab's STSong-Light, text wrapped at the page width so
unit names break across lines and pages, running page numbers), a DOCX, a GB18030 file, an HTML
page with site navigation, a Traditional-character copy and a copy with ASCII punctuation — the
ways notices reach users — and must parse to the tasks and units of the text form. Spacing is not
significant in task text; characters are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi import parse_notice

from forms import (
    table_notice_docx,
    table_notice_html,
    to_ascii_punct,
    to_docx,
    to_gb18030,
    to_html_page,
    to_pdf,
    to_traditional,
)

GOLDEN = Path(__file__).parent / "golden"
SEEDS = ["zhejiang-2024-notice", "zhejiang-2026-notice", "zhejiang-2020-notice-webpage"]
FULL_WIDTH = str.maketrans({":": "：", ",": "，", "(": "（", ")": "）", ";": "；"})


def squash(text: str) -> str:
    """Compare text without spacing and with punctuation widths folded."""
    return re.sub(r"\s+", "", text).translate(FULL_WIDTH)


def essence(notice) -> list:
    """Parts, sections and tasks with their units — what must not depend on the file format."""
    out = []
    for part in notice.parts:
        for section in part.sections:
            for task in section.tasks:
                out.append(
                    (
                        part.kind,
                        section.ordinal,
                        squash(section.heading or ""),
                        task.number,
                        squash(task.text),
                        task.leaders,
                        tuple((squash(u.name), u.role, u.kind, u.canonical) for u in task.units),
                    )
                )
    return out


@pytest.fixture(scope="module", params=SEEDS)
def seed(request):
    path = GOLDEN / f"{request.param}.txt"
    return path, path.read_text("utf-8"), parse_notice(path)


def assert_same(expected, actual_notice):
    actual = essence(actual_notice)
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        assert a == e


def test_the_pdf_form_gives_the_same_tasks_and_units(seed, tmp_path):
    _, text, notice = seed
    pdf = to_pdf(text, tmp_path / "notice.pdf")
    parsed = parse_notice(pdf)
    assert parsed.source.media_type == "application/pdf"
    assert_same(essence(notice), parsed)
    assert parsed.document.doc_number == notice.document.doc_number
    assert parsed.document.year == notice.document.year


def test_the_docx_form_gives_the_same_tasks_and_units(seed, tmp_path):
    _, text, notice = seed
    parsed = parse_notice(to_docx(text, tmp_path / "notice.docx"))
    assert_same(essence(notice), parsed)
    assert parsed.document == notice.document


def test_the_gb18030_form_gives_the_same_notice(seed, tmp_path):
    _, text, notice = seed
    parsed = parse_notice(to_gb18030(text, tmp_path / "notice.txt"))
    assert parsed.source.encoding == "gb18030"
    assert_same(essence(notice), parsed)
    assert [w.code for w in parsed.warnings] == [w.code for w in notice.warnings]


def test_the_html_page_gives_the_same_tasks_and_units(seed, tmp_path):
    _, text, notice = seed
    parsed = parse_notice(to_html_page(text, tmp_path / "notice.html"))
    assert parsed.source.media_type == "text/html"
    assert_same(essence(notice), parsed)
    everything = " ".join(t.text for _, _, t in parsed.tasks())
    assert "网站标识码" not in everything and "当前位置" not in everything


def test_a_traditional_copy_with_ascii_punctuation_reads_the_same(seed, tmp_path):
    _, text, notice = seed
    copy = tmp_path / "reposted.txt"
    copy.write_text(to_traditional(to_ascii_punct(text)), encoding="utf-8")
    parsed = parse_notice(copy)
    assert_same(essence(notice), parsed)


TABLE_ROWS = [
    ["1", "地区生产总值增长5.5%左右。", "王浩", "省发展改革委", "省统计局", "2025年底"],
    ["2", "一般公共预算收入与经济增长同步。", "王浩", "省财政厅", "省税务局", "2025年底"],
    [
        "3",
        "新增城镇就业100万人以上。",
        "张雁云",
        "省人力社保厅",
        "省教育厅、省退役军人事务厅",
        "2025年10月底前",
    ],
]


def test_a_table_notice_in_docx(tmp_path):
    path = table_notice_docx(TABLE_ROWS, tmp_path / "table.docx")
    check_table_notice(parse_notice(path))


def test_a_table_notice_in_html(tmp_path):
    path = table_notice_html(TABLE_ROWS, tmp_path / "table.html")
    check_table_notice(parse_notice(path))


def check_table_notice(notice):
    tasks = [t for _, _, t in notice.tasks()]
    assert [(t.number, t.leaders, [(u.name, u.role) for u in t.units]) for t in tasks] == [
        (1, ("王浩",), [("省发展改革委", "lead"), ("省统计局", "participant")]),
        (2, ("王浩",), [("省财政厅", "lead"), ("省税务局", "participant")]),
        (
            3,
            ("张雁云",),
            [
                ("省人力社保厅", "lead"),
                ("省教育厅", "participant"),
                ("省退役军人事务厅", "participant"),
            ],
        ),
    ]
    assert [t.deadlines for t in tasks] == [("2025-12-31",), ("2025-12-31",), ("2025-10-31",)]
    assert tasks[2].units[0].canonical == "省人社厅"
