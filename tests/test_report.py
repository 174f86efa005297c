"""Work reports (政府工作报告) into ``luoshi.report.v1``.

Golden pairs: ``tests/golden_reports/<case>.md|.txt`` beside ``<case>.json``. Each JSON was
generated, then read line by line against its source; it is the specification. The targets come
from :func:`luoshi.targets.find_targets`, so they are compared apart from the rest: a change there
shows as a failure of ``test_golden_report_targets`` alone. Where that reading is known to be
wrong, the golden file holds the right reading and ``KNOWN_TARGET_GAPS`` says why (each gap is a
strict xfail: it fails loudly once fixed, so the entry is removed).

To review a change: ``python tests/test_report.py CASE`` writes ``<case>.json.new`` beside the
golden file; replace the golden file by hand only after reading every changed line.

``another-province-report.txt`` is an invented report (Sichuan, 2025) written for these tests: the
structure of a whole report (title, subtitle, 各位代表, 一、…工作回顾, 主要预期目标, 重点工作,
民生实事, 政府自身建设) with made-up figures.
"""

from __future__ import annotations

import contextlib
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.errors import LuoshiError, NotAReportError, ParseError
from luoshi.grammar.report import (
    distribute,
    indicator_data,
    parse_report_lines,
    read_paragraph,
    resolve_indicator,
)
from luoshi.model import Line, Source
from luoshi.readers import read_bytes
from luoshi.report import Report, parse_report, parse_report_source, report_to_dict

HERE = Path(__file__).parent
GOLDEN = HERE / "golden_reports"
CASES = sorted(
    p for p in GOLDEN.iterdir() if p.suffix != ".json" and p.with_suffix(".json").exists()
)
SUMMARY_2024 = GOLDEN / "zhejiang-2024-work-report-summary.md"
EXCERPT_2025 = GOLDEN / "zhejiang-2025-work-report-excerpt.txt"
SICHUAN_2025 = GOLDEN / "another-province-report.txt"

# Known failures are listed here with the reason, never deleted from the golden directory.
KNOWN_FAILURES: dict[str, str] = {}
# (case, line, text of the target) → why luoshi.targets reads it wrong; the golden file holds the
# right reading.
KNOWN_TARGET_GAPS: dict[tuple[str, int, str], str] = {
    (
        "zhejiang-2025-work-report-excerpt",
        131,
        "保持2300万省外劳动力和240万省外脱贫劳动力在浙稳定就业",
    ): "find_targets names the first count “保持省外劳动力”: the verb stays, the predicate 在浙稳定就业 "
    "that both counts share is lost",
    (
        "zhejiang-2025-work-report-excerpt",
        143,
        "配置AED达每10万人45台",
    ): "a density (45 台 per 10万人) is read as an increment of 45 台 with the indicator "
    "“配置AED达每10万人”",
}


def actual(path: Path) -> dict:
    data = report_to_dict(parse_report(path))
    data["source"]["path"] = path.name  # the golden file must not depend on where the repo is
    return json.loads(json.dumps(data, ensure_ascii=False, sort_keys=True))


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text("utf-8"))


def _gap_keys(case: str) -> set[tuple[int, str]]:
    return {(line, text) for (c, line, text) in KNOWN_TARGET_GAPS if c == case}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_report(path: Path) -> None:
    if path.stem in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[path.stem])
    got, want = actual(path), expected(path)
    got.pop("targets")
    want.pop("targets")
    assert got == want


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_report_targets(path: Path) -> None:
    gaps = _gap_keys(path.stem)

    def kept(targets: list[dict]) -> list[dict]:
        return [t for t in targets if (t["line"], t["text"]) not in gaps]

    assert kept(actual(path)["targets"]) == kept(expected(path)["targets"])


@pytest.mark.parametrize(
    "case,line,text",
    list(KNOWN_TARGET_GAPS),
    ids=[f"{c}:{n}" for c, n, _ in KNOWN_TARGET_GAPS],
)
def test_known_target_gap(case: str, line: int, text: str) -> None:
    path = next(p for p in CASES if p.stem == case)

    def pick(targets: list[dict]) -> list[dict]:
        return [t for t in targets if (t["line"], t["text"]) == (line, text)]

    want = pick(expected(path)["targets"])
    assert want, "the gap names a target the golden file does not have"
    if pick(actual(path)["targets"]) != want:
        pytest.xfail(KNOWN_TARGET_GAPS[(case, line, text)])
    pytest.fail("fixed: remove this entry from KNOWN_TARGET_GAPS")


def test_every_seed_report_has_a_golden_file() -> None:
    stems = {p.stem for p in CASES}
    assert {
        "zhejiang-2024-work-report-summary",
        "zhejiang-2025-work-report-excerpt",
        "another-province-report",
    } <= stems


def test_the_golden_copies_are_the_packaged_samples() -> None:
    samples = HERE.parent / "src" / "luoshi" / "samples"
    assert SUMMARY_2024.read_bytes() == (samples / SUMMARY_2024.name).read_bytes()
    assert EXCERPT_2025.read_bytes() == (samples / EXCERPT_2025.name).read_bytes()


# ------------------------------------------------------------------------------------------
# The reports, read by hand


@pytest.fixture(scope="module")
def r2024() -> Report:
    return parse_report(SUMMARY_2024)


@pytest.fixture(scope="module")
def r2025() -> Report:
    return parse_report(EXCERPT_2025)


@pytest.fixture(scope="module")
def sichuan() -> Report:
    return parse_report(SICHUAN_2025)


def result(report: Report, indicator: str, value: str | int):
    """The one result with this indicator and value."""
    found = [
        r for r in report.results if r.indicator == indicator and r.value == Decimal(str(value))
    ]
    assert len(found) == 1, [(r.indicator, r.value) for r in report.results]
    return found[0]


# (indicator, value, unit, measure, line, extra fields) — read in the source by hand.
RESULTS_2024 = [
    ("生产总值", "6", "%", "growth", 25, {}),  # 全省生产总值增长6%
    ("规模以上工业增加值", "6", "%", "growth", 25, {}),
    ("固定资产投资", "6.1", "%", "growth", 25, {}),
    ("社会消费品零售总额", "6.8", "%", "growth", 25, {}),
    ("实际使用外资", "4.8", "%", "growth", 25, {}),
    ("制造业使用外资", "85.8", "%", "growth", 25, {}),  # 其中制造业使用外资增长85.8%
    ("城镇居民人均可支配收入", "5.2", "%", "growth", 25, {}),  # 分别 over two indicators
    ("农村居民人均可支配收入", "7.3", "%", "growth", 25, {}),
    ("居民消费价格", "0.3", "%", "growth", 25, {}),  # 上涨 is a growth
    ("城镇调查失业率", "4.6", "%", "share", 25, {}),  # a rate: share, as luoshi.targets reads it
    ("安排省级财政资金", "1006.8", "亿元", "amount", 27, {}),
    ("为市场经营主体减负", "3300", "亿元", "amount", 27, {"op": "ge"}),  # 3300亿元以上
    ("数字经济核心产业制造业增加值", "8.3", "%", "growth", 31, {}),  # three under one 分别
    ("高新技术产业增加值", "7", "%", "growth", 31, {}),
    ("战略性新兴产业增加值", "6.3", "%", "growth", 31, {}),
    ("全社会研发投入强度", "3.15", "%", "share", 33, {"estimate": True}),  # 预计达3.15%
    ("新增国家重点实验室", "9", "家", "increment", 33, {}),
    ("区域创新能力", "4", "位", "rank", 33, {}),  # 居全国第4位
    ("市场主体", "1034", "万户", "level", 35, {}),
    ("市场主体", "9.6", "%", "growth", 35, {"text": "市场主体达1034万户，增长9.6%"}),
    ("出口规模", "2", "位", "rank", 35, {}),  # 跃居全国第2位
    ("出口规模占全国份额", "15", "%", "share", 35, {}),
    ("建设高标准农田", "85.3", "万亩", "increment", 37, {}),
    ("新增电力装机", "1198", "万千瓦", "increment", 37, {}),
    ("生产安全事故起数", "11.3", "%", "decline", 45, {}),
    ("生产安全事故死亡人数", "10.2", "%", "decline", 45, {}),  # 起数和死亡人数分别下降
]

RESULTS_2025 = [
    ("货物贸易出口", "3.9", "万亿元", "level", 3, {}),
    ("货物贸易出口", "9.5", "%", "growth", 3, {}),  # 达3.9万亿元、增长9.5%
    ("货物贸易出口占全国份额", "15.3", "%", "share", 3, {}),  # 占全国份额提高到15.3%
    ("服务贸易", "24.5", "%", "growth", 3, {}),
    ("数字贸易", "14.5", "%", "growth", 3, {}),
    ("海外仓", "839", "个", "level", 3, {"period": "cumulative"}),  # 累计建设839个海外仓
    ("海外仓总面积", "1210", "万平方米", "level", 3, {"period": "cumulative"}),
    ("实际使用外资", "152.7", "亿美元", "level", 3, {"year": 2024}),
    ("制造业外资占比", "51", "%", "share", 3, {}),
    ("五张榜单浙江上榜数", "1", "位", "rank", 5, {}),  # 均居全国第一
    ("经营主体", "1095.2", "万户", "level", 5, {}),
    ("企业", "380.8", "万户", "level", 5, {}),  # 其中企业380.8万户: a part of the total
    ("新增“雄鹰”企业", "50", "家", "increment", 5, {}),
    ("上市公司", "23", "家", "increment", 5, {}),  # the 新增 of the list counts for it
    ("国家制造业单项冠军", "44", "家", "increment", 5, {}),
    ("和美乡村覆盖率", "51.7", "%", "share", 7, {}),
    ("粮食总产", "130", "亿斤", "level", 7, {}),  # 粮食播种面积1570.5万亩、总产130亿斤
    ("城乡居民收入倍差", "1.83", None, "level", 7, {}),  # 缩小至1.83
    ("海洋生产总值", "6.5", "%", "growth", 7, {"op": "approx"}),  # 增长6.5%左右
    ("城镇新增就业", "118.3", "万人", "increment", 7, {}),
    ("获奖数", "2", "位", "rank", 9, {}),  # 居全国第二
    ("工商业平均电价", "1", "分/千瓦时", "decline", 11, {}),
    ("单位生产总能耗", "6.9", "%", "decline", 11, {"estimate": True}),
    ("低保人均月标准", "1167", "元", "level", 13, {"period": "month"}),
    ("特困人均月标准", "1937", "元", "level", 13, {"period": "month"}),
    ("长期护理保险参保人数", "4526", "万人", "level", 13, {}),  # a total
    ("生产安全事故死亡人数", "15.7", "%", "decline", 17, {}),  # joined across a page break
    ("电信网络诈骗案件损失数", "35.8", "%", "decline", 17, {}),  # 受理数下降12%、损失数下降35.8%
    ("省政协提案", "770", "件", "count", 21, {}),
]


@pytest.mark.parametrize(
    "indicator,value,unit,measure,line,extra",
    RESULTS_2024,
    ids=[f"{i}={v}{u or ''}" for i, v, u, *_ in RESULTS_2024],
)
def test_a_2023_result_of_the_2024_summary(r2024, indicator, value, unit, measure, line, extra):
    r = result(r2024, indicator, value)
    assert (r.unit, r.measure, r.line, r.year) == (unit, measure, line, 2023)
    for key, want in extra.items():
        assert getattr(r, key) == want


@pytest.mark.parametrize(
    "indicator,value,unit,measure,line,extra",
    RESULTS_2025,
    ids=[f"{i}={v}{u or ''}" for i, v, u, *_ in RESULTS_2025],
)
def test_a_2024_result_of_the_2025_excerpt(r2025, indicator, value, unit, measure, line, extra):
    r = result(r2025, indicator, value)
    assert (r.unit, r.measure, r.line, r.year) == (unit, measure, line, 2024)
    for key, want in extra.items():
        assert getattr(r, key) == want


def test_the_report_year_is_the_year_planned_and_results_are_of_the_year_before(r2024, r2025):
    assert (r2024.document.year, r2025.document.year) == (2024, 2025)
    assert {r.year for r in r2024.results} == {2023}
    assert {r.year for r in r2025.results} == {2024}


def test_the_2024_summary_is_a_summary_not_an_excerpt(r2024):
    d = r2024.document
    assert (d.kind, d.region, d.title, d.summary, d.excerpt) == (
        "work_report",
        "浙江省",
        "政府工作报告摘要",
        True,
        False,
    )
    assert r2024.warnings == ()


def test_the_2025_newspaper_page_is_an_excerpt_and_says_where_it_is_cut(r2025):
    d = r2025.document
    assert (d.region, d.title, d.summary, d.excerpt) == ("浙江省", "政府工作报告", False, True)
    codes = {(w.code, w.line) for w in r2025.warnings}
    assert ("excerpt_start", 3) in codes  # (紧接第一版)
    assert ("excerpt_end", 151) in codes  # (下转第四版)


def test_the_sections_of_the_2024_summary(r2024):
    top = [(s.kind, s.title, s.line) for s in r2024.sections if s.level == 1]
    assert top == [
        ("review", "一、2023年工作回顾", 5),
        ("other", "二、2024年目标任务和重点工作", 47),
        ("targets", "主要预期目标", 51),
        ("work", "重点抓好10方面工作", 53),
        ("livelihood", "十方面民生实事", 151),
        ("other", None, 153),
    ]
    areas = [s for s in r2024.sections if s.level == 2]
    assert [s.kind for s in areas] == ["review"] * 9 + ["work"] * 10
    assert areas[0].title == "一是经济运行持续回升向好，全面完成全年主要目标任务"
    assert areas[9].title == "（一）聚焦聚力提升政策引导保障成效"  # no ** left


def test_the_2025_excerpt_starts_inside_the_review(r2025):
    first = r2025.sections[0]
    assert (first.kind, first.title, first.line) == ("review", None, 3)
    kinds = [(s.kind, s.line) for s in r2025.sections if s.level == 1]
    assert kinds == [
        ("review", 3),
        ("other", 27),
        ("targets", 31),
        ("work", 33),
        ("livelihood", 141),
    ]
    reviews = [s.title for s in r2025.sections if s.kind == "review" and s.level == 2]
    assert reviews[0] == "(六)持续优化营商环境,民营经济金名片进一步擦亮"
    assert reviews[-1].startswith("(十一)全面推进平安浙江法治浙江建设")


def test_results_come_from_the_review_only(r2024, r2025):
    for report, last_review_line in ((r2024, 45), (r2025, 21)):
        assert report.results
        assert all(r.line <= last_review_line for r in report.results)


def test_nothing_is_read_from_the_photo_caption(r2024):
    caption = 41  # 1月23日上午，省十四届人大二次会议在杭州隆重开幕…… 本报记者 梁臻 李震宇 摄
    everything = [*r2024.results, *r2024.targets, *r2024.livelihood, *r2024.sections]
    assert all(x.line != caption for x in everything)
    dumped = json.dumps(report_to_dict(r2024), ensure_ascii=False)
    assert "梁臻" not in dumped and "人大二次会议" not in dumped


def test_markdown_and_page_furniture_are_not_content(r2024, r2025):
    for report in (r2024, r2025):
        data = report_to_dict(report)
        texts = [x["text"] for key in ("results", "targets", "livelihood") for x in data[key]]
        texts += [s["title"] or "" for s in data["sections"]]
        joined = "\n".join(texts)
        for mark in ("**", "#", "<sub>", "紧接第一版", "下转第四版"):
            assert mark not in joined
    # The page header “# 政府工作报告” in the middle of the 2025 page is no section, and the
    # sentence it interrupts (lines 37 and 41) is one paragraph.
    assert all(s.line != 39 for s in r2025.sections)
    assert any(r.line == 17 and r.indicator == "火灾死亡人数" for r in r2025.results)


def test_an_increment_and_a_total_are_different_measures(r2025):
    total = result(r2025, "长期护理保险参保人数", 4526)
    new = [t for t in r2025.targets if t.target.indicator == "新增参保人数"]
    assert total.measure == "level"
    assert [t.target.measure for t in new] == ["increment"]
    assert [(t.section, t.year) for t in new] == [("livelihood", 2025)]


def test_a_comparison_with_the_average_is_not_a_result(r2024):
    # 山区26县生产总值增速高于全省平均1个百分点
    assert not any(r.unit == "个百分点" for r in r2024.results)
    assert not any("26" in r.indicator for r in r2024.results)


def test_numbers_that_are_names_are_not_results(r2024, r2025):
    values = {(r.value, r.unit) for r in [*r2024.results, *r2025.results]}
    assert (Decimal(32), "条") not in values  # 民营经济32条政策
    assert (Decimal(500), "家") not in values  # 研发投入500家 (a list's name) …等五张榜单
    assert (Decimal(56), "项") not in values  # 十方面56项31569个民生实事项目
    assert not any(r.unit and r.unit.startswith("A") for r in r2025.results)  # 5A级


def test_values_that_cannot_be_distributed_give_a_warning_not_a_result(r2025):
    # 清理规范节庆、论坛、展会,数量分别压减75%、95%、73%
    warned = [w for w in r2025.warnings if w.code == "values_unmatched"]
    assert [w.line for w in warned] == [21]
    assert not any(r.value == Decimal(95) for r in r2025.results)


# ------------------------------------------------------------------------------------------
# Targets of the coming year


def target(report: Report, indicator: str):
    found = [t for t in report.targets if t.target.indicator == indicator]
    assert found, [t.target.indicator for t in report.targets]
    return found[0]


def test_the_main_targets_of_2024(r2024):
    main = [t for t in r2024.targets if t.main]
    assert {t.line for t in main} == {51}
    assert {t.year for t in main} == {2024}
    got = {
        t.target.indicator: (t.target.measure, t.target.op, t.target.value, t.target.unit)
        for t in main
    }
    assert got == {
        "生产总值": ("growth", "approx", Decimal("5.5"), "%"),
        "规模以上工业增加值": ("growth", "approx", Decimal("6"), "%"),
        "固定资产投资": ("growth", "approx", Decimal("6"), "%"),
        "社会消费品零售总额": ("growth", "approx", Decimal("5.5"), "%"),
        "研发投入强度": ("share", "eq", Decimal("3.2"), "%"),
        "居民消费价格指数": ("growth", "approx", Decimal("3"), "%"),
        "城镇调查失业率": ("share", "le", Decimal("5"), "%"),
    }


def test_the_work_targets_of_2024_are_not_main(r2024):
    t = target(r2024, "实际使用外资")
    assert (t.main, t.section, t.line, t.target.op, t.target.value) == (
        False,
        "work",
        95,
        "ge",
        Decimal(200),
    )
    assert target(r2024, "安排省级财政资金").target.value == Decimal("1023.6")
    assert target(r2024, "和美乡村覆盖率").target.op == "ge"


def test_the_targets_of_2025(r2025):
    main = {t.target.indicator for t in r2025.targets if t.main}
    assert main == {"生产总值", "城镇调查失业率", "居民消费价格"}
    assert {t.year for t in r2025.targets} == {2025}
    # 服务贸易、数字贸易、跨境电商出口分别增长6%、8%、20%: one target per listed indicator
    listed = [(t.target.indicator, t.target.value) for t in r2025.targets if t.line == 79]
    assert listed == [
        ("服务贸易", Decimal(6)),
        ("数字贸易", Decimal(8)),
        ("跨境电商出口", Decimal(20)),
    ]
    # 确保粮食播种面积1520万亩、总产125亿斤: 总产 is the grain's
    assert target(r2025, "粮食总产").target.value == Decimal(125)


def test_the_livelihood_list_of_2025(r2025):
    items = r2025.livelihood
    assert [c for c in dict.fromkeys(i.category for i in items)] == [
        "医疗卫生方面",
        "养老帮困方面",
        "关爱儿童方面",
        "就业创业方面",
        "城乡宜居方面",
    ]
    assert (items[0].text, items[0].line, items[0].number) == (
        "为全省重点人群免费开展结直肠癌筛查",
        143,
        1,
    )
    assert items[-1].text == "改造提升3000个行政村村道"  # (下转第四版) cut off
    assert len(items) == 19


def test_a_summary_that_only_mentions_its_livelihood_projects_lists_none(r2024):
    assert r2024.livelihood == ()
    assert any(s.kind == "livelihood" for s in r2024.sections)


# ------------------------------------------------------------------------------------------
# A whole report of another province


def test_a_whole_report_of_another_province(sichuan):
    d = sichuan.document
    assert (d.region, d.year, d.title, d.excerpt, d.summary) == (
        "四川省",
        2025,
        "2025年四川省政府工作报告",
        False,
        False,
    )
    assert sichuan.warnings == ()
    kinds = [(s.kind, s.title) for s in sichuan.sections if s.level == 1]
    assert kinds == [
        ("other", None),  # 各位代表：现在，我代表省人民政府…
        ("review", "一、2024年工作回顾"),
        ("other", "二、2025年总体要求和主要预期目标"),
        ("targets", "主要预期目标"),
        ("work", "三、2025年重点工作"),
        ("livelihood", "30件民生实事"),
        ("other", "四、加强政府自身建设"),
    ]
    assert {r.year for r in sichuan.results} == {2024}
    assert len([t for t in sichuan.targets if t.main]) == 8
    assert [i.category for i in sichuan.livelihood] == [
        "教育方面",
        "医疗卫生方面",
        "养老托育方面",
        "城乡建设方面",
    ]


def test_from_x_to_y_is_the_level_y_with_base_x(sichuan):
    r = result(sichuan, "常住人口城镇化率", "60.6")  # 从59.5%提高到60.6%
    assert (r.measure, r.base, r.unit) == ("share", Decimal("59.5"), "%")


def test_heads_of_one_length_share_the_rest_of_the_last_item(sichuan):
    # 城市和农村低保月人均标准分别提高到780元、560元
    assert result(sichuan, "城市低保月人均标准", 780).period == "month"
    assert result(sichuan, "农村低保月人均标准", 560).period == "month"


def test_a_duration_qualifies_a_figure_and_names_nothing(sichuan):
    # 粮食总产达719.6亿斤、连续5年稳定在700亿斤以上
    r = result(sichuan, "粮食总产", 700)
    assert (r.op, r.measure) == ("ge", "level")


# ------------------------------------------------------------------------------------------
# Narrow rules on small texts


def parse_text(text: str) -> Report:
    return parse_report_source(read_bytes(text.encode("utf-8"), "report.txt"))


def figures(paragraph: str) -> list[tuple[str, Decimal, str | None, str]]:
    return [
        (f.figure.indicator, f.figure.value, f.figure.unit, f.figure.measure)
        for f in read_paragraph(paragraph)[0]
    ]


def test_respectively_needs_as_many_indicators_as_values():
    assert distribute("城镇和农村居民人均可支配收入", 2) == [
        "城镇居民人均可支配收入",
        "农村居民人均可支配收入",
    ]
    assert distribute("低保、特困人均月标准", 2) == ["低保人均月标准", "特困人均月标准"]
    assert distribute("生产安全事故起数和死亡人数", 2) == [
        "生产安全事故起数",
        "生产安全事故死亡人数",
    ]
    assert distribute("服务贸易、数字贸易", 2) == ["服务贸易", "数字贸易"]
    assert distribute("数量", 3) is None


def test_a_number_in_quotes_or_a_name_is_no_figure():
    assert figures("启动实施“315”科技创新体系建设工程，出台“8+4”政策。") == []
    assert figures("2024中国民营企业500强发布，第六届论坛举办，云和梯田成功创建5A级景区。") == []
    assert figures("设区市PM2.5平均浓度稳步改善，开展20周年系列活动。") == []


def test_new_in_the_name_of_a_share_is_no_increment():
    assert figures("新增地方政府专项债券占全国份额7%。") == [
        ("新增地方政府专项债券占全国份额", Decimal(7), "%", "share")
    ]


def test_a_count_before_its_noun_is_read_and_a_count_of_a_subject_is_not():
    assert figures("累计建设839个海外仓。") == [("海外仓", Decimal(839), "个", "level")]
    assert figures("1244个重大项目完成投资1297.6亿元。") == [
        ("重大项目完成投资", Decimal("1297.6"), "亿元", "amount")
    ]
    assert figures("宁波、温州等5个城市扛起协办责任。") == []


def test_a_clause_without_indicator_speaks_of_the_one_before():
    got = read_paragraph("市场主体达1034万户，增长9.6%。")[0]
    assert [(f.figure.indicator, f.figure.measure, f.text) for f in got] == [
        ("市场主体", "level", "市场主体达1034万户"),
        ("市场主体", "growth", "市场主体达1034万户，增长9.6%"),
    ]


def test_a_bare_measure_noun_takes_the_subject_before_it():
    assert [f[0] for f in figures("电信网络诈骗案件受理数下降12%、损失数下降35.8%。")] == [
        "电信网络诈骗案件受理数",
        "电信网络诈骗案件损失数",
    ]


def test_a_line_ending_in_a_photo_credit_is_dropped_anywhere():
    report = parse_text(
        "各位代表：\n\n一、2024年工作回顾\n\n过去一年，全省生产总值增长5%。\n\n"
        "图为会议现场，全省生产总值增长99%。 本报记者 张三 摄\n\n"
        "二、2025年目标任务和重点工作\n\n主要预期目标为：生产总值增长5%左右。\n"
    )
    assert [(r.indicator, r.value) for r in report.results] == [("生产总值", Decimal(5))]


def test_a_breakdown_notice_is_not_a_report():
    with pytest.raises(NotAReportError) as caught:
        parse_report(HERE / "golden" / "zhejiang-2024-notice.txt")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(HERE / "golden" / "zhejiang-2024-notice.txt") + ": ")
    assert "breakdown notice" in message
    assert isinstance(caught.value, ParseError)


def test_a_text_of_no_kind_is_not_a_report():
    with pytest.raises(NotAReportError, match="not a government work report"):
        parse_text("今天天气很好，我们去公园散步。\n")


def test_the_indicator_data_is_consistent(tmp_path):
    data = indicator_data()
    assert resolve_indicator("规上工业增加值") == "规模以上工业增加值"
    assert resolve_indicator("全省经营主体数量") == "经营主体"
    assert resolve_indicator("数字经济核心产业制造业增加值") != resolve_indicator(
        "数字经济核心产业增加值"
    )
    assert resolve_indicator("实际使用外资") != resolve_indicator("制造业使用外资")
    assert data.shared_tails and data.dependent_nouns
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        "indicators:\n"
        "  - {canonical: A, names: [{name: X, seen: ['001']}]}\n"
        "  - {canonical: B, names: [{name: X, seen: ['001']}]}\n"
        "shared_tails: []\ndependent_nouns: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="X names A and B"):
        indicator_data.__wrapped__(bad)


def test_report_to_dict_has_every_key_in_the_order_of_the_spec(r2025):
    data = report_to_dict(r2025)
    assert list(data) == [
        "format",
        "source",
        "document",
        "sections",
        "results",
        "targets",
        "livelihood",
        "warnings",
    ]
    assert data["format"] == "luoshi.report.v1"
    assert list(data["document"]) == ["kind", "region", "year", "title", "excerpt", "summary"]
    assert list(data["results"][0])[:7] == [
        "text",
        "indicator",
        "value",
        "unit",
        "measure",
        "year",
        "line",
    ]
    assert list(data["targets"][0])[:8] == [
        "text",
        "indicator",
        "measure",
        "op",
        "value",
        "unit",
        "year",
        "line",
    ]
    json.dumps(data, ensure_ascii=False)  # JSON-ready: Decimals are numbers


# ------------------------------------------------------------------------------------------
# Properties

FRAGMENTS = st.sampled_from(
    [
        "一、2024年工作回顾",
        "二、2025年目标任务和重点工作",
        "主要预期目标为：生产总值增长5.5%左右。",
        "全省生产总值增长6%，",
        "城镇和农村居民人均可支配收入分别增长5.2%、7.3%；",
        "数量分别压减75%、95%、73%。",
        "（一）聚焦聚力扩大有效投资。",
        "1.医疗卫生方面。",
        "十方面民生实事",
        "**",
        "(紧接第一版)",
        "(下转第四版)",
        "本报记者 张三 摄",
        "从59.5%提高到60.6%",
        "居全国第2位",
        "、",
        "，",
        "等5个",
        "新增",
        "“315”",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(FRAGMENTS | st.text(max_size=8), max_size=6), max_size=12))
def test_the_grammar_reads_any_text_without_crashing(pieces):
    lines = tuple(Line(n + 1, "".join(parts)) for n, parts in enumerate(pieces))
    report = parse_report_lines(Source("x.txt", "0" * 64, "text/plain", lines))
    json.dumps(report_to_dict(report), ensure_ascii=False)
    for r in report.results:
        assert 1 <= r.line <= max(len(lines), 1)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_parse_report_raises_only_luoshi_errors(text):
    with contextlib.suppress(LuoshiError):
        parse_text(text)


if __name__ == "__main__":  # python tests/test_report.py CASE → CASE.json.new for review
    for case in sys.argv[1:]:
        source = next(p for p in CASES if p.stem == case)
        new = json.dumps(actual(source), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        Path(str(source.with_suffix(".json")) + ".new").write_text(new, encoding="utf-8")
