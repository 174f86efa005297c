"""What a careful reader of the three seed notices knows, as assertions.

The golden files pin every field; these tests say the facts that matter in words, so a failure
reads as a sentence (the 2024 notice has 8 leader sections of 5, 30, 16 … tasks).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from luoshi import parse_notice
from luoshi.registry import default_registry

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def n2024():
    return parse_notice(GOLDEN / "zhejiang-2024-notice.txt")


@pytest.fixture(scope="module")
def n2026():
    return parse_notice(GOLDEN / "zhejiang-2026-notice.txt")


@pytest.fixture(scope="module")
def n2020():
    return parse_notice(GOLDEN / "zhejiang-2020-notice-webpage.txt")


def section_sizes(part):
    return [len(s.tasks) for s in part.sections]


def test_the_2024_notice_head(n2024):
    d = n2024.document
    assert (d.issuer, d.doc_number, d.year, d.signed_on, d.printed_on) == (
        "浙江省人民政府办公厅",
        "浙政办发〔2024〕3号",
        2024,
        "2024-02-02",
        "2024-02-02",
    )
    assert (
        d.title.replace(" ", "")
        == "浙江省人民政府办公厅关于印发2024年政府工作报告重点工作责任分解的通知"
    )


def test_the_2024_notice_has_eight_leader_sections_and_ten_livelihood_areas(n2024):
    key, livelihood = n2024.parts
    assert key.kind == "key_tasks" and key.period == (2024, 2024)
    assert [s.leader.name for s in key.sections] == [
        "王浩",
        "徐文光",
        "庐山",
        "张雁云",
        "胡伟",
        "李岩益",
        "杨青玖",
        "柯吉欣",
    ]
    assert section_sizes(key) == [5, 30, 16, 9, 13, 9, 4, 16]
    assert livelihood.kind == "livelihood"
    assert [s.category for s in livelihood.sections][:3] == [
        "医疗卫生方面",
        "教育助学方面",
        "养老帮困方面",
    ]
    assert section_sizes(livelihood) == [3, 2, 1, 2, 2, 3, 2, 3, 2, 4]


def test_the_2024_warnings_are_the_ones_a_reader_raises(n2024):
    assert [(w.code, w.line) for w in n2024.warnings] == [
        ("markup_removed", 321),
        ("stray_word", 425),
        ("leader_name_mismatch", 483),
    ]
    mismatch = n2024.warnings[-1].message
    assert "卢山" in mismatch and "庐山" in mismatch


def test_a_task_split_by_a_page_break_is_one_task(n2024):
    task = n2024.parts[0].sections[1].tasks[6]  # 徐文光 7, broken at line 73/75
    assert task.line == 73
    assert "统筹推进招大引强和增资扩产" in task.text


def test_a_unit_name_split_by_a_page_break_is_one_unit(n2024):
    task = n2024.parts[0].sections[5].tasks[2]  # 李岩益 3: 省自\n\n然资源厅
    assert "省自然资源厅" in [u.name for u in task.units]


def test_livelihood_items_take_their_leader_and_units_from_the_attribution(n2024):
    health = n2024.parts[1].sections[0]
    assert [(t.leaders, [u.name for u in t.units]) for t in health.tasks] == [
        (("李岩益",), ["省卫生健康委"]),
        (("李岩益",), ["省红十字会"]),
        (("张雁云",), ["省医保局"]),
    ]
    transport = (
        n2024.parts[1].sections[6].tasks[1]
    )  # attribution broken as 责 / 任单位 across pages
    assert transport.leaders == ("徐文光",) and transport.units[0].name == "省发展改革委"


def test_the_2026_notice_has_three_parts(n2026):
    plan, annual, livelihood = n2026.parts
    assert plan.period == (2026, 2030) and annual.period == (2026, 2026)
    assert section_sizes(plan) == [3, 21, 8, 16, 9, 9, 12]
    assert section_sizes(annual) == [4, 44, 14, 27, 9, 7, 27]
    assert section_sizes(livelihood) == [3, 5, 2, 5, 2, 3, 3, 3, 2, 2]
    assert n2026.document.signed_on == "2026-01-24" and n2026.document.printed_on == "2026-01-25"


def test_the_2026_warnings(n2026):
    assert [(w.code, w.line) for w in n2026.warnings] == [
        ("missing_separator", 95),
        ("former_name", 555),
        ("duplicated_character", 741),
    ]


def test_units_marked_qiantou_lead_in_the_2026_notice(n2026):
    task = n2026.parts[0].sections[2].tasks[0]  # 省委金融办(省地方金融局)、浙江金融监管局牵头，…
    assert [(u.name, u.role) for u in task.units][:3] == [
        ("省委金融办", "lead"),
        ("浙江金融监管局", "lead"),
        ("省审计厅", "participant"),
    ]


def test_the_2020_web_page(n2020):
    assert n2020.document.year == 2020 and n2020.document.issuer is None
    key, livelihood = n2020.parts
    assert key.sections[0].leader.name == "袁家军"
    assert section_sizes(key) == [9, 51, 19, 10, 31, 26, 9, 19, 19]
    # the livelihood list is numbered 1.–10. without categories: each number is a section
    assert [s.ordinal for s in livelihood.sections] == list(range(1, 11))
    assert section_sizes(livelihood) == [1, 3, 1, 4, 1, 1, 1, 3, 1, 1]
    assert [(w.code, w.line) for w in n2020.warnings] == [("open_list", 158)]


def test_a_qiantou_danwei_label_makes_every_unit_lead(n2020):
    first = n2020.parts[0].sections[0].tasks[0]
    assert {u.role for u in first.units} == {"lead"} and len(first.units) == 5
    sixth = n2020.parts[0].sections[0].tasks[5]  # 责任单位 with the convention note
    assert [u.role for u in sixth.units][:2] == ["lead", "participant"]


def test_site_navigation_is_not_part_of_the_notice(n2020):
    texts = " ".join(t.text for _, _, t in n2020.tasks())
    assert "加入收藏" not in texts and "当前位置" not in texts and "admin" not in texts


def test_every_unit_in_the_seed_notices_is_known(n2024, n2026, n2020):
    for notice in (n2024, n2026, n2020):
        for _, _, task in notice.tasks():
            for unit in task.units:
                if unit.kind in ("unit", "group_members"):
                    assert unit.canonical, (notice.document.year, unit.name)


def test_the_ren_she_spellings_are_one_unit(n2024):
    names = Counter(
        u.name for _, _, t in n2024.tasks() for u in t.units if u.canonical == "省人社厅"
    )
    assert set(names) == {"省人社厅", "省人社保厅"}


def test_249_tasks_and_items_name_the_development_and_reform_commission(n2024, n2026, n2020):
    reg = default_registry()
    count = 0
    for notice in (n2024, n2026, n2020):
        drc = reg.lineage(reg.resolve("省发展改革委", notice.document.year).id)
        count += sum(1 for _, _, t in notice.tasks() if any(u.unit_id in drc for u in t.units))
    assert count == 249
